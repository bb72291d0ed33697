import { ACTIONS, type Action } from '../models/types.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { lockedChange } from './locked-change.js';
import type { CachedStorage } from './read-cache.js';
import type { createStatsBuckets, StatsContribution } from './stats-buckets.js';
import { storageCall } from './storage-error.js';
import { GENERATION_STATUSES, type ActivityReport, type ActivityRow, type GenerationRecord, type GenerationStatus, type RecentFailure } from './types.js';

/** What one record adds to the activity log: its stats contribution plus what a failure is reported with. */
export type ActivityContribution = StatsContribution & Pick<GenerationRecord, 'id' | 'user_id' | 'model_id' | 'error' | 'completed_at'>;

/**
 * Per statistics bucket, beside its counters (stats-buckets.ts): processing-time histograms per `action|status`
 * (bin → count) and failure reasons (reason → count). Written only when a generation gets a processing time or
 * fails, so progress updates cost nothing here.
 */
interface Details {
  times: Record<string, Record<string, number>>;
  reasons: Record<string, number>;
}

const RECENT_KEY = 'stats:recent-failures';
const RECENT_MAX = 50;
/** Distinct reasons kept per bucket; the rest count as one "other" line, so a bucket stays small whatever fails. */
const REASONS_MAX = 100;
const OTHER_REASON = 'other';
const REASON_MAX_LENGTH = 160;
const READ_BATCH = 64;

/**
 * Processing times go into bins growing by 10 % from 10 ms: a p95 read from them is within 10 % of the true value,
 * and any number of generations costs at most ~150 bins per `action|status` and bucket. Hand-written (a dozen
 * lines) because the histogram must merge across buckets and live in a JSON value; HDR histogram libraries keep
 * binary state of their own.
 */
const BIN_BASE_MS = 10;
const BIN_GROWTH = 1.1;
const binOf = (ms: number) => (ms <= BIN_BASE_MS ? 0 : Math.ceil(Math.log(ms / BIN_BASE_MS) / Math.log(BIN_GROWTH)));
const binUpperEdge = (bin: number) => BIN_BASE_MS * BIN_GROWTH ** bin;

/** The first line of an error, without run-specific detail that would split one cause into many lines. */
export function reasonOf(error: string | null): string {
  const line = (error ?? '').split('\n', 1)[0]?.replace(/\s+/g, ' ').trim() ?? '';
  if (line === '') return 'unknown error';
  return line.length > REASON_MAX_LENGTH ? `${line.slice(0, REASON_MAX_LENGTH - 1)}…` : line;
}

function bumpIn(map: Record<string, number>, key: string, by: number): void {
  const next = (map[key] ?? 0) + by;
  if (next <= 0) delete map[key];
  else map[key] = next;
}

function applyDetails(details: Details, contribution: ActivityContribution, sign: 1 | -1): void {
  const combo = `${contribution.action}|${contribution.status}`;
  if (contribution.processing_time_ms !== null) {
    const bins = (details.times[combo] ??= {});
    bumpIn(bins, String(binOf(contribution.processing_time_ms)), sign);
    if (Object.keys(bins).length === 0) delete details.times[combo];
  }
  if (contribution.status === 'failed') {
    const reason = reasonOf(contribution.error);
    const known = reason in details.reasons;
    if (sign > 0) bumpIn(details.reasons, known || Object.keys(details.reasons).length < REASONS_MAX ? reason : OTHER_REASON, 1);
    else bumpIn(details.reasons, known ? reason : OTHER_REASON, -1);
  }
}

/** What a contribution puts into the details bucket, as a comparable string; null when it puts nothing. */
function detailOf(c: ActivityContribution | null): string | null {
  if (!c || (c.processing_time_ms === null && c.status !== 'failed')) return null;
  return `${c.action}|${c.status}|${c.processing_time_ms === null ? '' : binOf(c.processing_time_ms)}|${c.status === 'failed' ? reasonOf(c.error) : ''}`;
}

function failureOf(c: ActivityContribution): RecentFailure {
  return { id: c.id, user_id: c.user_id, action: c.action, model_id: c.model_id, error: c.error ?? 'unknown error', created_at: c.created_at, completed_at: c.completed_at };
}

function p95Of(bins: Record<string, number> | undefined): number | null {
  const entries = Object.entries(bins ?? {}).map(([bin, count]) => [Number(bin), count] as const).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total * 0.95);
  let seen = 0;
  for (const [bin, count] of entries) {
    seen += count;
    if (seen >= rank) return Math.round(binUpperEdge(bin));
  }
  return null;
}

/**
 * The admin dashboard's view of generations, kept next to the statistics buckets: time histograms and failure
 * reasons per bucket, and the newest failures. Like the counters, it never reads records.
 */
export function createActivityLog(storage: CachedStorage, withLock: KeyedMutex, stats: ReturnType<typeof createStatsBuckets>, bucketMs: number) {
  const detailsKey = (bucket: number) => `stats:details:${bucket}`;
  const change = <T>(key: string, edit: (current: T | null) => T | null) => lockedChange<T>(storage, withLock, key, edit);

  async function moveDetails(before: ActivityContribution | null, after: ActivityContribution | null): Promise<void> {
    if (detailOf(before) === detailOf(after)) return;
    const createdAt = (after ?? before)!.created_at;
    await change<Details>(detailsKey(stats.bucketOf(createdAt)), (current) => {
      const details: Details = current ? structuredClone(current) : { times: {}, reasons: {} };
      if (before) applyDetails(details, before, -1);
      if (after) applyDetails(details, after, 1);
      return details;
    });
  }

  async function moveRecent(before: ActivityContribution | null, after: ActivityContribution | null): Promise<void> {
    const wasFailed = before?.status === 'failed';
    const isFailed = after?.status === 'failed';
    if (!wasFailed && !isFailed) return;
    if (wasFailed && isFailed && before.error === after.error && before.completed_at === after.completed_at) return;
    const id = (after ?? before)!.id;
    await change<RecentFailure[]>(RECENT_KEY, (current) => {
      const others = (current ?? []).filter((failure) => failure.id !== id);
      return isFailed ? [failureOf(after), ...others].slice(0, RECENT_MAX) : others;
    });
  }

  /** In batches, as the counters are read: a window of months is thousands of keys, too many open files at once. */
  async function readDetails(buckets: readonly number[]): Promise<Array<Details | null>> {
    const out: Array<Details | null> = [];
    for (let start = 0; start < buckets.length; start += READ_BATCH) {
      const batch = buckets.slice(start, start + READ_BATCH);
      out.push(...(await Promise.all(batch.map((bucket) => storageCall(`read ${detailsKey(bucket)}`, () => storage.peekItem<Details>(detailsKey(bucket)))))));
    }
    return out;
  }

  return {
    /** Replaces `before`'s contribution by `after`'s (either may be null: create, delete), like the counters. */
    async move(before: ActivityContribution | null, after: ActivityContribution | null): Promise<void> {
      await Promise.all([moveDetails(before, after), moveRecent(before, after)]);
    },

    async read(since: number): Promise<ActivityReport> {
      const buckets = await stats.bucketsSince(since);
      const [counters, details, recent] = await Promise.all([
        stats.readBuckets(buckets),
        readDetails(buckets),
        storageCall(`read ${RECENT_KEY}`, () => storage.peekItem<RecentFailure[]>(RECENT_KEY)),
      ]);
      const totals: Record<string, [count: number, timed: number, timeSum: number]> = {};
      const times: Record<string, Record<string, number>> = {};
      const reasons: Record<string, number> = {};
      const series = buckets.map((bucket, i) => {
        const point: ActivityReport['series'][number] = { start: bucket * bucketMs, counts: {} };
        for (const [combo, [count, timed, timeSum]] of Object.entries(counters[i] ?? {})) {
          const status = combo.slice(combo.indexOf('|') + 1) as GenerationStatus;
          point.counts[status] = (point.counts[status] ?? 0) + count;
          const sum = totals[combo] ?? [0, 0, 0];
          totals[combo] = [sum[0] + count, sum[1] + timed, sum[2] + timeSum];
        }
        for (const [combo, bins] of Object.entries(details[i]?.times ?? {})) {
          const merged = (times[combo] ??= {});
          for (const [bin, count] of Object.entries(bins)) merged[bin] = (merged[bin] ?? 0) + count;
        }
        for (const [reason, count] of Object.entries(details[i]?.reasons ?? {})) reasons[reason] = (reasons[reason] ?? 0) + count;
        return point;
      });
      const rows: ActivityRow[] = [];
      for (const action of ACTIONS as readonly Action[]) {
        for (const status of GENERATION_STATUSES) {
          const combo = `${action}|${status}`;
          const [count, timed, timeSum] = totals[combo] ?? [0, 0, 0];
          if (count > 0) rows.push({ action, status, count, avg_processing_time_ms: timed > 0 ? timeSum / timed : null, p95_processing_time_ms: p95Of(times[combo]) });
        }
      }
      return {
        since,
        bucket_ms: bucketMs,
        rows,
        series,
        failure_reasons: Object.entries(reasons)
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
        recent_failures: (recent ?? []).filter((failure) => failure.created_at >= since),
      };
    },
  };
}
