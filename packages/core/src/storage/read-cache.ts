import type { Storage } from 'unstorage';

/**
 * A write-through cache of parsed values in front of a storage, for a store that is its storage's only writer
 * (the generation store's documented rule). Hot records and index chunks are then read from memory instead of
 * being re-read and re-parsed from disk on every request. Values are cloned in and out, so callers that modify
 * what they read cannot change the cache behind the storage's back. Least recently used entries are dropped first.
 */
export type CachedStorage = Storage & {
  /**
   * Like `getItem`, without the copy: for read-only callers on hot paths (listing reads a user's whole index meta
   * and a 500-entry chunk per request). The caller must not modify what it gets.
   */
  peekItem<T>(key: string): Promise<T | null>;
};

export function withReadCache(storage: Storage, maxEntries: number): CachedStorage {
  const cache = new Map<string, unknown>();

  function remember(key: string, value: unknown): void {
    cache.delete(key);
    cache.set(key, structuredClone(value));
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  }

  async function peek(key: string): Promise<unknown> {
    if (cache.has(key)) {
      const value = cache.get(key);
      cache.delete(key);
      cache.set(key, value);
      return value;
    }
    const value = await storage.getItem(key);
    if (value === null) return null;
    remember(key, value);
    return cache.get(key) ?? structuredClone(value);
  }

  const cached = {
    async getItem(key: string) {
      return structuredClone(await peek(key));
    },
    peekItem: peek,
    async setItem(key: string, value: unknown, options?: Parameters<Storage['setItem']>[2]) {
      cache.delete(key); // a failed write must not leave the new value behind
      await storage.setItem(key, value as never, options);
      remember(key, value);
    },
    async removeItem(key: string, options?: Parameters<Storage['removeItem']>[1]) {
      cache.delete(key);
      await storage.removeItem(key, options);
    },
  };
  // every other method (keys, raw items, watch, ...) goes straight to the storage
  return Object.assign(Object.create(storage) as Storage, cached) as CachedStorage;
}
