import type { Storage } from 'unstorage';
import { createCoalescedWrites, REMOVED } from './coalesced-writes.js';

/**
 * A write-through cache of parsed values in front of a storage, for a store that is its storage's only writer
 * (the generation store's documented rule). Hot records and index chunks are then read from memory instead of
 * being re-read and re-parsed from disk on every request, and writes of one key are group-committed (see
 * coalesced-writes.ts). A value is visible to readers as soon as it is handed in; the write's promise says when
 * the storage has it. Least recently used entries are dropped first (values still being written never are).
 */
export type CachedStorage = Storage & {
  /**
   * Like `getItem`, without the copy: for callers on hot paths. The caller must not modify what it gets, unless
   * it holds the key's lock and hands the value back with `putItem` right after.
   */
  peekItem<T>(key: string): Promise<T | null>;
  /**
   * Makes `value` the key's value now, without copying it (the cache keeps this very object), and returns the
   * write's promise without waiting for it. Lets a caller change a key under a lock and wait for the write after
   * releasing it, so the next change of the key can join the same write.
   */
  putItem(key: string, value: unknown): { written: Promise<void> };
  /** The value when it is in memory (cached or being written), without waiting; undefined when it must be read. */
  cachedItem<T>(key: string): { value: T | null } | undefined;
  /** Resolves once every value handed in for the key so far is written: for a caller that read a value another
   * caller has handed in, found nothing to change, and must not answer before that value is stored. */
  flushedItem(key: string): Promise<void>;
};

export function withReadCache(storage: Storage, maxEntries: number): CachedStorage {
  // Least recently used goes first, approximated the CLOCK way: a hit only marks its entry, instead of moving it to
  // the end of the map (a delete and a set on every read of a hot record); eviction gives marked entries a second
  // chance.
  const cache = new Map<string, { value: unknown; used: boolean }>();
  const writes = createCoalescedWrites(storage, (key) => cache.delete(key));

  function remember(key: string, value: unknown): void {
    cache.delete(key);
    cache.set(key, { value, used: false });
    while (cache.size > maxEntries) {
      const [oldest, entry] = cache.entries().next().value as [string, { value: unknown; used: boolean }];
      cache.delete(oldest);
      if (entry.used && oldest !== key) cache.set(oldest, { value: entry.value, used: false });
    }
  }

  function cachedItem(key: string): { value: unknown } | undefined {
    const pending = writes.pending(key);
    if (pending) return { value: pending.value === REMOVED ? null : pending.value };
    const hit = cache.get(key);
    if (!hit) return undefined;
    hit.used = true;
    return { value: hit.value };
  }

  async function peek(key: string): Promise<unknown> {
    const known = cachedItem(key);
    if (known) return known.value;
    const value = await storage.getItem(key);
    // A write of the key that began while this read was on its way is newer than what the read found.
    const newer = cachedItem(key);
    if (newer) return newer.value;
    if (value === null) return null;
    remember(key, value);
    return value;
  }

  function put(key: string, value: unknown): { written: Promise<void> } {
    if (value === REMOVED) cache.delete(key);
    else remember(key, value);
    const written = writes.write(key, value);
    written.catch(() => undefined); // the caller awaits it; no unhandled rejection if it awaits late
    return { written };
  }

  const cached = {
    async getItem(key: string) {
      return structuredClone(await peek(key));
    },
    peekItem: peek as CachedStorage['peekItem'],
    putItem: put,
    cachedItem: cachedItem as CachedStorage['cachedItem'],
    flushedItem: (key: string) => writes.flushed(key),
    async setItem(key: string, value: unknown) {
      await put(key, structuredClone(value)).written;
    },
    async removeItem(key: string) {
      await put(key, REMOVED).written;
    },
  };
  // every other method (keys, raw items, watch, ...) goes straight to the storage
  return Object.assign(Object.create(storage) as Storage, cached) as CachedStorage;
}
