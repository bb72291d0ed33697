import type { Storage } from 'unstorage';
import { keySegment } from './key-segment.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { storageCall } from './storage-error.js';

const PREFIX = 'unfinished';

/**
 * Ids of generations not yet in a terminal status, for crash recovery: one small key per generation, so adding
 * and removing cost the same with 1,000 generations in flight as with one. Only `list` (run once, at start)
 * walks them all. Each key holds the id itself, since key segments are escaped.
 */
export function createUnfinishedSet(storage: Storage, withLock: KeyedMutex) {
  const keyOf = (id: string) => `${PREFIX}:${keySegment(id)}`;

  return {
    add: (id: string) => withLock(keyOf(id), () => storageCall(`write ${keyOf(id)}`, () => storage.setItem(keyOf(id), id))),
    remove: (id: string) => withLock(keyOf(id), () => storageCall(`delete ${keyOf(id)}`, () => storage.removeItem(keyOf(id)))),
    async list(): Promise<string[]> {
      const keys = await storageCall(`list ${PREFIX}`, () => storage.getKeys(PREFIX));
      const ids = await Promise.all(keys.map((key) => withLock.shared(key, () => storageCall(`read ${key}`, () => storage.getItem<string>(key)))));
      return ids.filter((id): id is string => typeof id === 'string');
    },
  };
}
