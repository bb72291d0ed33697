import type { KeyedMutex } from './keyed-mutex.js';
import type { CachedStorage } from './read-cache.js';
import { storageCall } from './storage-error.js';

/**
 * A read-modify-write of one key under its lock. `edit` answers the new value, or null for "no change". The write
 * is awaited after the lock is released, so a burst of changes to one key shares writes (see read-cache.ts).
 */
export async function lockedChange<T>(storage: CachedStorage, withLock: KeyedMutex, key: string, edit: (current: T | null) => T | null): Promise<void> {
  const { written } = await withLock(key, async () => {
    const current = await storageCall(`read ${key}`, () => storage.peekItem<T>(key));
    const next = edit(current);
    // nothing to change, but what we read may still be on its way to the storage
    return next === null ? { written: storage.flushedItem(key) } : storage.putItem(key, next);
  });
  await storageCall(`write ${key}`, () => written);
}
