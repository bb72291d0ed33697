import type { Storage } from 'unstorage';
import { DotbaseError, unlessDamaged } from '../errors.js';
import { ACTIONS } from '../models/types.js';
import { keySegment } from './key-segment.js';
import { withReadCache } from './read-cache.js';
import { createKeyedMutex } from './keyed-mutex.js';
import { deepFreeze } from './deep-freeze.js';
import { createActivityLog } from './activity-log.js';
import { createStatsBuckets, HOUR_MS } from './stats-buckets.js';
import { storageCall } from './storage-error.js';
import { storedGenerationProblem } from './stored-shapes.js';
import { GENERATION_STATUSES, meetsCondition, TERMINAL_STATUSES, type GenerationRecord, type GenerationStatus, type GenerationStore, type ListQuery } from './types.js';
import { createUnfinishedSet } from './unfinished-set.js';
import { createUserIndex } from './user-index.js';
import { checkGenerationRecord, checkListQuery, withFavoriteNormalised } from './generation-checks.js';

export interface GenerationStoreOptions {
  /** Index entries per chunk (default 500). A user's index keeps the size it was created with. */
  chunkSize?: number;
  /** Width of a statistics bucket (default one hour); `stats(since)` is exact to this granularity. */
  statsBucketMs?: number;
  /** Records and index keys kept parsed in memory (default 10,000; 0 turns the cache off). */
  cacheEntries?: number;
}

/** The value under `gen:<id>`: the record and the index chunk that lists it, found again without a search. */
interface StoredGeneration {
  record: GenerationRecord;
  chunk: number;
}

const DEFAULT_CHUNK_SIZE = 500;

const isTerminal = (status: GenerationStatus) => TERMINAL_STATUSES.includes(status);


/** A patch may carry `undefined` for "no change"; spread as is, it would erase the field. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Generations on any unstorage driver, listed through indexes instead of reading records. Keys:
 * - `gen:<id>` — the record (and its index chunk);
 * - `users:<user>:meta`, `users:<user>:chunks:<n>` — the user's chunked index with counts (see user-index.ts);
 * - `stats:range`, `stats:buckets:<n>` — hourly counters by action×status (see stats-buckets.ts);
 * - `stats:details:<n>`, `stats:recent-failures` — time histograms, failure reasons, newest failures (activity-log.ts);
 * - `unfinished` — ids not yet terminal, for crash recovery.
 *
 * Writes to one generation run one after another, and so do the read-modify-writes of each index key, through
 * in-process locks; writes of one key are group-committed (see read-cache.ts). Records are stored and handed out
 * deep-frozen. That makes one process safe; several processes writing one store need a backend with atomic
 * operations (a different `GenerationStore`). Changes are not transactional: a crash between two writes can
 * leave an index a step behind its record.
 *
 * @example
 * const store = createGenerationStore(createStorage({ driver: lmdbDriver({ path: './.data/records.lmdb' }) }));
 * await store.create(record);
 * const { items, total } = await store.list('alice', { page: 1, limit: 12, action: 'create', status: 'completed' });
 */
export function createGenerationStore(backing: Storage, options: GenerationStoreOptions = {}): GenerationStore {
  const storage = withReadCache(backing, options.cacheEntries ?? 10_000);
  const withLock = createKeyedMutex();
  const index = createUserIndex(storage, withLock, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const bucketMs = options.statsBucketMs ?? HOUR_MS;
  const stats = createStatsBuckets(storage, withLock, bucketMs);
  const activity = createActivityLog(storage, withLock, stats, bucketMs);
  const unfinished = createUnfinishedSet(storage);
  const genKey = (id: string) => `gen:${keySegment(id)}`;

  /**
   * Records are handed out frozen and without a copy: reads (one per status poll, twelve per list page) then cost a
   * cache lookup, and nobody can change a cached record behind the store's back.
   */
  function checked(key: string, stored: StoredGeneration | null): StoredGeneration | null {
    if (stored === null) return null;
    // unstorage's fs driver hands back the error object of a failed read (ENOTDIR) as if it were the value
    if (stored instanceof Error) throw new DotbaseError('storage_error', `[dotbase] [storage] read ${key} failed: ${stored.message}`);
    // a few type tests per read: a damaged value is reported as such instead of handed out half-broken
    const problem = storedGenerationProblem(stored);
    if (problem) throw new DotbaseError('storage_damaged', `[dotbase] [generation-store] ${key} is damaged: ${problem}`);
    return deepFreeze(stored);
  }

  async function read(id: string): Promise<StoredGeneration | null> {
    const key = genKey(id);
    // hot records come straight from memory: no storage call, no extra promise per record of a list page
    const cached = storage.cachedItem<StoredGeneration>(key);
    return checked(key, cached ? cached.value : await storageCall(`read ${key}`, () => storage.peekItem<StoredGeneration>(key)));
  }

  /** Stores a frozen copy (the caller keeps its own objects) and returns the copy's record. */
  async function write(stored: StoredGeneration): Promise<GenerationRecord> {
    const key = genKey(stored.record.id);
    const frozen = deepFreeze(structuredClone(stored));
    await storageCall(`write ${key}`, () => storage.putItem(key, frozen).written);
    return frozen.record;
  }

  return {
    async create(given) {
      checkGenerationRecord(given);
      const record = withFavoriteNormalised(given);
      await withLock(genKey(record.id), async () => {
        if (await read(record.id)) throw new DotbaseError('conflict', `generation ${record.id} already exists`);
        const chunk = await index.append(record.user_id, record.id, record.action, record.status, record.favorite === true);
        // independent keys: written side by side, the latency of one write instead of three
        await Promise.all([
          write({ record, chunk }),
          stats.move(null, record),
          activity.move(null, record),
          isTerminal(record.status) ? undefined : unfinished.add(record.id),
        ]);
      });
    },

    // Reads take no lock: a record changes in the cache in one step (see read-cache.ts), so a read sees it before
    // or after a change, never half of it.
    async get(id) {
      return (await read(id))?.record ?? null;
    },

    async update(id, patch, condition) {
      return withLock(genKey(id), async () => {
        const stored = await read(id);
        // checked under the record's lock: no other write to it can come between the check and this write
        if (!stored || !meetsCondition(stored.record, condition)) return null;
        const before = stored.record;
        // id, owner and creation time are fixed, whatever the patch says at runtime.
        const after = withFavoriteNormalised({ ...before, ...definedOnly(patch), id: before.id, user_id: before.user_id, created_at: before.created_at });
        checkGenerationRecord(after);
        const starred = after.favorite === true;
        const indexMoves = after.action !== before.action || after.status !== before.status || starred !== (before.favorite === true);
        const [saved] = await Promise.all([
          write({ record: after, chunk: stored.chunk }),
          indexMoves ? index.change(after.user_id, stored.chunk, id, after.action, after.status, starred) : undefined,
          stats.move(before, after),
          activity.move(before, after),
          isTerminal(after.status) && !isTerminal(before.status) ? unfinished.remove(id) : undefined,
          !isTerminal(after.status) && isTerminal(before.status) ? unfinished.add(id) : undefined,
        ]);
        return saved;
      });
    },

    async delete(id) {
      return withLock(genKey(id), async () => {
        const stored = await read(id);
        if (!stored) return false;
        await index.remove(stored.record.user_id, stored.chunk, id);
        await Promise.all([stats.move(stored.record, null), activity.move(stored.record, null)]);
        await unfinished.remove(id);
        await storageCall(`delete ${genKey(id)}`, () => storage.removeItem(genKey(id)));
        return true;
      });
    },

    // a patch of one field through `update`, which keeps the index's star in step with the record's
    async setFavorite(id, favorite) {
      if (typeof favorite !== 'boolean') throw new DotbaseError('invalid_input', 'favorite must be a boolean');
      return this.update(id, { favorite });
    },

    async list(userId, query) {
      checkListQuery(query);
      const filter = {
        ...(query.action ? { action: query.action } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.favorite ? { favorite: true as const } : {}),
      };
      const { ids, total } = await index.page(userId, filter, query.page, query.limit);
      const records = await Promise.all(ids.map((id) => read(id)));
      // A record deleted between the index read and now is simply left out.
      return { items: records.flatMap((stored) => (stored ? [stored.record] : [])), total };
    },

    listUnfinished: () => unfinished.list(),

    // `create` appends to the user's index before it writes the record: a crash in between leaves an entry
    // without a record, and only in the chunk that was newest then. Checking each user's newest chunk is enough.
    async reconcile() {
      let removed = 0;
      for (const { userKey, chunk } of await index.newestChunks()) {
        for (const id of await index.chunkIds(userKey, chunk)) {
          await withLock(genKey(id), async () => {
            // a damaged record is still there: its entry stays (reads of it answer storage_damaged)
            if (await read(id).catch(unlessDamaged(true))) return;
            // the entry carries the escaped segment; the index's own functions take the user id it came from
            await index.removeByKey(userKey, chunk, id);
            removed += 1;
          });
        }
      }
      return { removed };
    },

    stats: (since) => stats.read(since),

    activity: (since) => activity.read(since),

    users: () => index.users(),
  };
}
