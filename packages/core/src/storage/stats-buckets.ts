import { ACTIONS, type Action } from '../models/types.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { lockedChange } from './locked-change.js';
import type { CachedStorage } from './read-cache.js';
import { storageCall } from './storage-error.js';
import { GENERATION_STATUSES, type GenerationRecord, type GenerationStatus, type StatsRow } from './types.js';

export const HOUR_MS = 3_600_000;

/** What one record adds to its bucket. */
export type StatsContribution = Pick<GenerationRecord, 'created_at' | 'action' | 'status' | 'processing_time_ms'>;

/** Per `action|status`: [count, rows with a processing time, sum of those times]. */
export type Bucket = Record<string, [count: number, timed: number, timeSum: number]>;

/** The first and last bucket numbers ever written, so a query knows which buckets can exist. */
interface BucketRange {
  first: number;
  last: number;
}

const RANGE_KEY = 'stats:range';
const READ_BATCH = 64;

/**
 * Generation statistics from time-bucketed counters, so `stats` never reads records. Buckets are by
 * `created_at`, `bucketMs` wide (default one hour, aligned to the epoch, i.e. UTC hours): `read(since)` counts
 * every bucket from the one containing `since`, so it may include up to one bucket-width of generations created
 * just before `since`; for a `since` on a bucket boundary it is exact. A query reads one key per bucket from
 * `since` (or the oldest bucket) to the newest: 25 reads for the last 24 h. Counters change on create, on every
 * change of action/status/processing time, and on delete.
 */
export function createStatsBuckets(storage: CachedStorage, withLock: KeyedMutex, bucketMs: number = HOUR_MS) {
  const bucketOf = (createdAt: number) => Math.floor(createdAt / bucketMs);
  const bucketKey = (bucket: number) => `stats:buckets:${bucket}`;

  function add(bucket: Bucket, contribution: StatsContribution, sign: 1 | -1): void {
    const key = `${contribution.action}|${contribution.status}`;
    const [count, timed, timeSum] = bucket[key] ?? [0, 0, 0];
    const time = contribution.processing_time_ms;
    const next: Bucket[string] = [count + sign, timed + (time === null ? 0 : sign), timeSum + (time === null ? 0 : sign * time)];
    if (next[0] === 0) delete bucket[key];
    else bucket[key] = next;
  }

  const change = <T>(key: string, edit: (current: T | null) => T | null) => lockedChange<T>(storage, withLock, key, edit);

  function widenRange(bucket: number): Promise<void> {
    return change<BucketRange>(RANGE_KEY, (range) => {
      if (range && range.first <= bucket && bucket <= range.last) return null;
      return range ? { first: Math.min(range.first, bucket), last: Math.max(range.last, bucket) } : { first: bucket, last: bucket };
    });
  }

  /** The bucket numbers that can hold generations created since `since`, oldest first. */
  async function bucketsSince(since: number): Promise<number[]> {
    const range = await storageCall(`read ${RANGE_KEY}`, () => storage.peekItem<BucketRange>(RANGE_KEY));
    if (!range) return [];
    const buckets: number[] = [];
    for (let bucket = Math.max(range.first, bucketOf(since)); bucket <= range.last; bucket++) buckets.push(bucket);
    return buckets;
  }

  /** Each bucket's counters per `action|status` as `[count, timed, timeSum]`, in the order of `buckets`. */
  async function readBuckets(buckets: readonly number[]): Promise<Array<Readonly<Bucket>>> {
    const readBucket = (bucket: number) => {
      const key = bucketKey(bucket);
      return storageCall(`read ${key}`, () => storage.peekItem<Bucket>(key));
    };
    const out: Bucket[] = [];
    // In batches: a window of months is thousands of buckets, too many open files at once for the fs driver.
    for (let start = 0; start < buckets.length; start += READ_BATCH) {
      for (const counters of await Promise.all(buckets.slice(start, start + READ_BATCH).map(readBucket))) out.push(counters ?? {});
    }
    return out;
  }

  return {
    bucketOf,
    bucketsSince,
    readBuckets,

    /** Replaces `before`'s contribution by `after`'s (either may be null: create, delete). Both share created_at. */
    async move(before: StatsContribution | null, after: StatsContribution | null): Promise<void> {
      const createdAt = (after ?? before)?.created_at;
      if (createdAt === undefined) return;
      if (
        before &&
        after &&
        before.action === after.action &&
        before.status === after.status &&
        before.processing_time_ms === after.processing_time_ms
      ) {
        return;
      }
      const bucket = bucketOf(createdAt);
      if (!before) await widenRange(bucket);
      await change<Bucket>(bucketKey(bucket), (current) => {
        const counters = current ?? {};
        if (before) add(counters, before, -1);
        if (after) add(counters, after, 1);
        return counters;
      });
    },

    /** Rows by action and status (ACTIONS × GENERATION_STATUSES order) of generations created since `since`. */
    // Reads take no lock: a change replaces a key's cached value in one step, before its write (see read-cache.ts).
    async read(since: number): Promise<StatsRow[]> {
      const totals: Bucket = {};
      for (const counters of await readBuckets(await bucketsSince(since))) {
        for (const [key, [count, timed, timeSum]] of Object.entries(counters)) {
          const sum = totals[key] ?? [0, 0, 0];
          totals[key] = [sum[0] + count, sum[1] + timed, sum[2] + timeSum];
        }
      }
      const rows: StatsRow[] = [];
      for (const action of ACTIONS as readonly Action[]) {
        for (const status of GENERATION_STATUSES as readonly GenerationStatus[]) {
          const [count, timed, timeSum] = totals[`${action}|${status}`] ?? [0, 0, 0];
          if (count > 0) rows.push({ action, status, count, avg_processing_time_ms: timed > 0 ? timeSum / timed : null });
        }
      }
      return rows;
    },
  };
}
