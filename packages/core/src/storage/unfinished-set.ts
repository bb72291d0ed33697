import type { Storage } from 'unstorage';
import type { KeyedMutex } from './keyed-mutex.js';
import { storageCall } from './storage-error.js';

const KEY = 'unfinished';

/**
 * Ids of generations not yet in a terminal status, in one key, for crash recovery. It holds only what is in
 * flight right now (dozens, not the whole history), so one read-modify-write per status change is cheap.
 */
export function createUnfinishedSet(storage: Storage, withLock: KeyedMutex) {
  const read = async () => (await storageCall(`read ${KEY}`, () => storage.getItem<string[]>(KEY))) ?? [];

  async function edit(change: (ids: Set<string>) => boolean): Promise<void> {
    await withLock(KEY, async () => {
      const ids = new Set(await read());
      if (change(ids)) await storageCall(`write ${KEY}`, () => storage.setItem(KEY, [...ids]));
    });
  }

  return {
    add: (id: string) =>
      edit((ids) => {
        if (ids.has(id)) return false;
        ids.add(id);
        return true;
      }),
    remove: (id: string) => edit((ids) => ids.delete(id)),
    list: () => withLock.shared(KEY, read),
  };
}
