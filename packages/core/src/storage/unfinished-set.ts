import type { Storage } from 'unstorage';
import { keySegment } from './key-segment.js';
import { storageCall } from './storage-error.js';

const PREFIX = 'unfinished';

/**
 * Ids of generations not yet in a terminal status, for crash recovery: one small key per generation, so adding
 * and removing cost the same with 1,000 generations in flight as with one. Only `list` (run once, at start)
 * walks them all. Each key holds the id itself, since key segments are escaped. Every change is one write of its
 * own key, and the generation store already runs the changes of one generation one after another (its lock per
 * id), so no lock is needed here.
 */
export function createUnfinishedSet(storage: Storage) {
  const keyOf = (id: string) => `${PREFIX}:${keySegment(id)}`;

  return {
    add: (id: string) => storageCall(`write ${keyOf(id)}`, () => storage.setItem(keyOf(id), id)),
    remove: (id: string) => storageCall(`delete ${keyOf(id)}`, () => storage.removeItem(keyOf(id))),
    async list(): Promise<string[]> {
      const keys = await storageCall(`list ${PREFIX}`, () => storage.getKeys(PREFIX));
      const ids = await Promise.all(keys.map((key) => storageCall(`read ${key}`, () => storage.getItem<string>(key))));
      return ids.filter((id): id is string => typeof id === 'string');
    },
  };
}
