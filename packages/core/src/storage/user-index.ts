import type { CachedStorage } from './read-cache.js';
import { DotbaseError } from '../errors.js';
import type { Action } from '../models/types.js';
import { fromKeySegment, keySegment } from './key-segment.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { storageCall } from './storage-error.js';
import { indexMetaProblem } from './stored-shapes.js';
import type { GenerationStatus, UserActivity } from './types.js';

/**
 * One generation in a user's index: enough to filter without reading the record. A starred one carries a 4th
 * element, 1; entries written before favorites existed have three and are simply not starred.
 */
type IndexEntry = [id: string, action: Action, status: GenerationStatus, favorite?: 1];

/**
 * Counts per `action|status`, and per `action|status|f` for starred generations (no status ends in `|f`), so the
 * favorites filter, alone or with action and status, is a lookup like the others. Zero counts are dropped to keep
 * the meta small.
 */
type ComboCounts = Record<string, number>;

/**
 * A user's index: entries in append (= creation) order, cut into chunks of `chunkSize`. The meta keeps totals per
 * action×status and the same counts per chunk, so any filter's total is a lookup and a page reads only the chunks
 * that hold its rows: page 1 of 100,000 generations reads the meta and one or two chunks, as for 1,000.
 * Entries never move between chunks (deletes leave a chunk shorter), so a record remembers its chunk number.
 */
interface UserIndexMeta {
  chunkSize: number;
  counts: ComboCounts;
  chunks: ComboCounts[];
}

export interface IndexFilter {
  action?: Action;
  status?: GenerationStatus;
  favorite?: true;
}

const FAVORITE_SUFFIX = '|f';
const combo = (action: Action, status: GenerationStatus, favorite = false) => `${action}|${status}${favorite ? FAVORITE_SUFFIX : ''}`;
const entryCombo = (entry: IndexEntry) => combo(entry[1], entry[2], entry[3] === 1);
/** The status a count key names (`action|status` or `action|status|f`). */
const statusOf = (key: string) => key.split('|')[1] as GenerationStatus;

function bump(counts: ComboCounts, key: string, by: number): void {
  const next = (counts[key] ?? 0) + by;
  if (next === 0) delete counts[key];
  else counts[key] = next;
}

function sumCounts(counts: ComboCounts | undefined, filter: IndexFilter): number {
  let total = 0;
  // runs for every chunk a page skips and for every total: plain string tests, no splitting
  const actionPrefix = filter.action === undefined ? undefined : `${filter.action}|`;
  const statusSuffix = filter.status === undefined ? undefined : `|${filter.status}`;
  const starredStatusSuffix = statusSuffix === undefined ? undefined : `${statusSuffix}${FAVORITE_SUFFIX}`;
  for (const key in counts) {
    if (actionPrefix !== undefined && !key.startsWith(actionPrefix)) continue;
    const starred = key.endsWith(FAVORITE_SUFFIX);
    if (filter.favorite && !starred) continue;
    if (statusSuffix !== undefined && !key.endsWith(starred ? (starredStatusSuffix as string) : statusSuffix)) continue;
    total += counts[key] as number;
  }
  return total;
}

function matches(entry: IndexEntry, filter: IndexFilter): boolean {
  return (
    (filter.action === undefined || filter.action === entry[1]) &&
    (filter.status === undefined || filter.status === entry[2]) &&
    (filter.favorite === undefined || entry[3] === 1)
  );
}

function corrupt(key: string, problem = 'not a valid index value'): DotbaseError {
  return new DotbaseError('storage_damaged', `[dotbase] [generation-store] ${key} is damaged: ${problem}`);
}

/**
 * Keys: `users:<user>:meta` and `users:<user>:chunks:<n>`. Every change of one user's index runs under the
 * user's lock (read-modify-write of meta and one chunk), which is released before the writes finish: the next
 * change reads the new values from the cache and its writes join the ones already queued, so a burst of changes
 * costs a couple of writes of each key rather than one each, in a row. Reads take the lock shared, so a page sees
 * the meta and the chunks of one moment.
 */
export function createUserIndex(storage: CachedStorage, withLock: KeyedMutex, defaultChunkSize: number) {
  // every key is built from the user's escaped segment (`keySegment`); public methods take the user id
  const base = (segment: string) => `users:${segment}`;
  const metaKey = (segment: string) => `${base(segment)}:meta`;
  const chunkKey = (segment: string, chunk: number) => `${base(segment)}:chunks:${chunk}`;

  /**
   * Reads hand out the cached values themselves: `page` only reads them, and changes edit them in place under the
   * user's lock and hand them straight back (`putItem`), so no 500-entry chunk is copied per change.
   */
  async function readMeta(segment: string): Promise<UserIndexMeta | null> {
    const key = metaKey(segment);
    const meta = await storageCall(`read ${key}`, () => storage.peekItem<UserIndexMeta>(key));
    const problem = meta === null ? undefined : indexMetaProblem(meta, false);
    if (problem) throw corrupt(key, problem);
    return meta;
  }

  async function readChunk(segment: string, chunk: number): Promise<IndexEntry[]> {
    const key = chunkKey(segment, chunk);
    const entries = await storageCall(`read ${key}`, () => storage.peekItem<IndexEntry[]>(key));
    if (entries === null) return [];
    if (!Array.isArray(entries)) throw corrupt(key);
    return entries;
  }

  /** Hands changed values back; the returned promise (awaited after the lock is released) says they are written. */
  function put(changes: Array<[key: string, value: unknown]>): { written: Promise<void> } {
    const writes = changes.map(([key, value]) => storage.putItem(key, value).written);
    return { written: storageCall(`write ${changes.map(([key]) => key).join(', ')}`, () => Promise.all(writes).then(() => undefined)) };
  }

  /** Finds the entry of `id` in its chunk and hands it to `change`, which edits the chunk in place. */
  async function editEntry(segment: string, chunk: number, id: string, change: (meta: UserIndexMeta, entries: IndexEntry[], at: number) => void) {
    const { written } = await withLock(base(segment), async () => {
      const [meta, entries] = await Promise.all([readMeta(segment), readChunk(segment, chunk)]);
      const at = entries.findIndex((entry) => entry[0] === id);
      if (!meta || at < 0) return { written: Promise.resolve() };
      change(meta, entries, at);
      return put([
        [chunkKey(segment, chunk), entries],
        [metaKey(segment), meta],
      ]);
    });
    await written;
  }

  return {
    /** Appends a new generation as the user's newest; returns the chunk it went into. */
    async append(user: string, id: string, action: Action, status: GenerationStatus, favorite = false): Promise<number> {
      const segment = keySegment(user);
      const { chunk, written } = await withLock(base(segment), async () => {
        const meta = (await readMeta(segment)) ?? { chunkSize: defaultChunkSize, counts: {}, chunks: [] };
        let chunk = meta.chunks.length - 1;
        let entries = chunk >= 0 ? await readChunk(segment, chunk) : [];
        if (chunk < 0 || entries.length >= meta.chunkSize) {
          chunk = meta.chunks.length;
          meta.chunks.push({});
          entries = [];
        }
        const entry: IndexEntry = favorite ? [id, action, status, 1] : [id, action, status];
        entries.push(entry);
        bump(meta.counts, entryCombo(entry), 1);
        bump(meta.chunks[chunk] as ComboCounts, entryCombo(entry), 1);
        const { written } = put([
          [chunkKey(segment, chunk), entries],
          [metaKey(segment), meta],
        ]);
        return { chunk, written };
      });
      await written;
      return chunk;
    },

    /** Moves an entry to its record's new action/status/star. */
    async change(user: string, chunk: number, id: string, action: Action, status: GenerationStatus, favorite = false): Promise<void> {
      await editEntry(keySegment(user), chunk, id, (meta, entries, at) => {
        const next: IndexEntry = favorite ? [id, action, status, 1] : [id, action, status];
        const before = entryCombo(entries[at] as IndexEntry);
        const after = entryCombo(next);
        if (before === after) return;
        for (const counts of [meta.counts, meta.chunks[chunk] as ComboCounts]) {
          bump(counts, before, -1);
          bump(counts, after, 1);
        }
        entries[at] = next;
      });
    },

    async remove(user: string, chunk: number, id: string): Promise<void> {
      await this.removeByKey(keySegment(user), chunk, id);
    },

    /** `remove`, for a caller that has the user's escaped segment rather than the id (index repair). */
    async removeByKey(segment: string, chunk: number, id: string): Promise<void> {
      await editEntry(segment, chunk, id, (meta, entries, at) => {
        const key = entryCombo(entries[at] as IndexEntry);
        bump(meta.counts, key, -1);
        bump(meta.chunks[chunk] as ComboCounts, key, -1);
        entries.splice(at, 1);
      });
    },

    /**
     * Every user with generations and their counts by status, most generations first. Walks the `users:` keys
     * (chunks included) and reads each meta: for the admin view, not for a request path.
     */
    async users(): Promise<UserActivity[]> {
      const keys = await storageCall('list users', () => storage.getKeys('users'));
      const segments = keys.flatMap((key) => {
        const parts = key.split(':');
        return parts.length === 3 && parts[2] === 'meta' ? [parts[1] as string] : [];
      });
      const rows = await Promise.all(
        segments.map(async (segment): Promise<UserActivity | null> => {
          // the index's keys hold the escaped segment; the row names the user id it stands for
          const userId = fromKeySegment(segment);
          const meta = await readMeta(segment);
          const counts: UserActivity['counts'] = {};
          let total = 0;
          for (const [combo, count] of Object.entries(meta?.counts ?? {})) {
            const status = statusOf(combo);
            counts[status] = (counts[status] ?? 0) + count;
            total += count;
          }
          return total > 0 ? { user_id: userId, total, counts } : null;
        }),
      );
      return rows.filter((row): row is UserActivity => row !== null).sort((a, b) => b.total - a.total || a.user_id.localeCompare(b.user_id));
    },

    /** Every user segment (escaped id) that has an index, and the number of its newest chunk. */
    async newestChunks(): Promise<Array<{ userKey: string; chunk: number }>> {
      const found: Array<{ userKey: string; chunk: number }> = [];
      for (const key of await storageCall('list user indexes', () => storage.getKeys('users'))) {
        const match = /^users:(.+):meta$/.exec(key);
        if (!match) continue;
        const meta = await storageCall(`read ${key}`, () => storage.peekItem<UserIndexMeta>(key));
        if (meta && Array.isArray(meta.chunks) && meta.chunks.length > 0) found.push({ userKey: match[1] as string, chunk: meta.chunks.length - 1 });
      }
      return found;
    },

    /** The ids in one chunk of a user's index, found by the escaped user segment. */
    async chunkIds(userKey: string, chunk: number): Promise<string[]> {
      const key = `users:${userKey}:chunks:${chunk}`;
      const entries = await storageCall(`read ${key}`, () => storage.peekItem<IndexEntry[]>(key));
      return Array.isArray(entries) ? entries.map((entry) => entry[0]) : [];
    },

    /** Ids of one page, newest first, and the filter's total. Skips whole chunks by their counts. */
    async page(user: string, filter: IndexFilter, page: number, limit: number): Promise<{ ids: string[]; total: number }> {
      const segment = keySegment(user);
      return withLock.shared(base(segment), async () => {
        const meta = await readMeta(segment);
        if (!meta) return { ids: [], total: 0 };
        const ids: string[] = [];
        let skip = (page - 1) * limit;
        for (let chunk = meta.chunks.length - 1; chunk >= 0 && ids.length < limit; chunk--) {
          const inChunk = sumCounts(meta.chunks[chunk], filter);
          if (inChunk <= skip) {
            skip -= inChunk;
            continue;
          }
          const entries = await readChunk(segment, chunk);
          for (let at = entries.length - 1; at >= 0 && ids.length < limit; at--) {
            const entry = entries[at] as IndexEntry;
            if (!matches(entry, filter)) continue;
            if (skip > 0) skip--;
            else ids.push(entry[0]);
          }
        }
        return { ids, total: sumCounts(meta.counts, filter) };
      });
    },
  };
}

export type UserIndex = ReturnType<typeof createUserIndex>;
