import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RootDatabase } from 'lmdb';
import type { Driver } from 'unstorage';

export interface LmdbDriverOptions {
  /** The database file (created with its directory; LMDB keeps a `-lock` file beside it). */
  path: string;
  /**
   * `'sync'` (default): LMDB's own durability: commits are flushed to disk (overlapping the next transaction), so
   * neither a killed process nor a power cut loses or corrupts what was answered. `'os'`: commits are left to the
   * OS to flush — several times cheaper per commit and still safe when the process is killed, but a system crash
   * can lose recent commits or corrupt the file; for scratch data and development.
   */
  durability?: 'sync' | 'os';
}

/**
 * An unstorage driver on LMDB (the `lmdb` package, an optional peer dependency loaded on first use): a
 * memory-mapped, copy-on-write B-tree in one file. Each write through a file-per-key driver costs a file write and
 * a rename — hundreds of microseconds of kernel time each on a typical VM — while LMDB gathers all writes of one
 * event-loop turn into one transaction, so a burst of small records costs about one commit. Crash-safe by design:
 * a killed process leaves the last committed state. Several processes may open the same file.
 *
 * @example
 * const storage = createStorage({ driver: lmdbDriver({ path: './.data/generations.lmdb' }) });
 */
export function lmdbDriver(options: LmdbDriverOptions): Driver {
  const path = resolve(options.path);
  const durability = options.durability ?? 'sync';
  let opening: Promise<RootDatabase<string, string>> | undefined;

  function db(): Promise<RootDatabase<string, string>> {
    opening ??= (async () => {
      let lmdb: typeof import('lmdb');
      try {
        lmdb = await import('lmdb');
      } catch (error) {
        throw new Error('[unstorage] [dotbase-lmdb] the embedded store needs the "lmdb" package: npm install lmdb', { cause: error });
      }
      await mkdir(dirname(path), { recursive: true });
      return lmdb.open<string, string>({ path, encoding: 'string', noSubdir: true, noSync: durability === 'os' });
    })();
    return opening;
  }

  /** Every key that starts with `base`: keys are kept sorted, so they are one contiguous run from `base` on. */
  async function keysUnder(base = ''): Promise<string[]> {
    const keys: string[] = [];
    for (const key of (await db()).getKeys(base ? { start: base } : {})) {
      if (typeof key !== 'string' || !key.startsWith(base)) break;
      keys.push(key);
    }
    return keys;
  }

  return {
    name: 'dotbase-lmdb',
    options,
    async hasItem(key) {
      return (await db()).doesExist(key);
    },
    async getItem(key) {
      return (await db()).get(key) ?? null;
    },
    async setItem(key, value) {
      await (await db()).put(key, value);
    },
    async removeItem(key) {
      await (await db()).remove(key);
    },
    getKeys(base) {
      return keysUnder(base);
    },
    async clear(base) {
      const database = await db();
      const keys = await keysUnder(base);
      // removals issued in one event-loop turn are committed as one transaction
      await Promise.all(keys.map((key) => database.remove(key)));
    },
    async dispose() {
      if (!opening) return;
      const database = await opening.catch(() => undefined);
      opening = undefined;
      await database?.close();
    },
  };
}
