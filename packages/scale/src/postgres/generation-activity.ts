import { ACTIONS, GENERATION_STATUSES, failureReasonOf, type ActivityReport, type ActivityRow, type GenerationStatus, type UserActivity } from '@dotbase/core';
import type { Sql } from './connect.js';
import { databaseCall } from './errors.js';

/** One step of the series: an hour, in UTC whatever the session's time zone (date_trunc's third argument). */
const BUCKET_MS = 3_600_000;
/** As the embedded store: the newest 50 failures, and a bounded list of reasons (the rest count as "other"). */
const RECENT_MAX = 50;
const REASONS_MAX = 100;
const OTHER_REASON = 'other';

const epoch = (value: unknown) => (value === null || value === undefined ? null : (value as Date).getTime());
const orderOf = (action: string, status: string) => ACTIONS.indexOf(action as never) * GENERATION_STATUSES.length + GENERATION_STATUSES.indexOf(status as GenerationStatus);

/**
 * The admin dashboard's report, computed by PostgreSQL from the rows themselves: every figure is exact (p95 by
 * percentile_cont, not a histogram) and follows updates and deletes without bookkeeping of its own. Each query is
 * a range of `generations_created`, so a report costs the rows of its window (the p95 needs every time in it
 * anyway). No index of its own: a partial index on failed rows made the planner pick it for users' lists.
 */
export async function readActivity(sql: Sql, since: number): Promise<ActivityReport> {
  const from = new Date(since);
  const [totals, bounds, perHour, reasons, recent] = await databaseCall('read activity', () =>
    Promise.all([
      sql`SELECT action, status, count(*)::int AS count, avg(processing_time_ms)::float8 AS avg,
                 percentile_cont(0.95) WITHIN GROUP (ORDER BY processing_time_ms)::float8 AS p95
          FROM generations WHERE created_at >= ${from} GROUP BY action, status`,
      // the series runs from the hour holding `since` (or the first generation, if later) to the newest generation
      sql`SELECT greatest(date_trunc('hour', ${from}::timestamptz, 'UTC'), date_trunc('hour', min(created_at), 'UTC')) AS first,
                 date_trunc('hour', max(created_at), 'UTC') AS last
          FROM generations`,
      sql`SELECT date_trunc('hour', created_at, 'UTC') AS hour, status, count(*)::int AS count
          FROM generations WHERE created_at >= ${from} GROUP BY 1, 2`,
      // grouped by first line here; the line is then tidied as the embedded store does (failureReasonOf)
      sql`SELECT split_part(coalesce(error, ''), E'\n', 1) AS line, count(*)::int AS count
          FROM generations WHERE status = 'failed' AND created_at >= ${from} GROUP BY 1`,
      sql`SELECT id, user_id, action, model_id, error, created_at, completed_at
          FROM generations WHERE status = 'failed' AND created_at >= ${from}
          ORDER BY coalesce(completed_at, created_at) DESC, id DESC LIMIT ${RECENT_MAX}`,
    ]),
  );

  const rows: ActivityRow[] = totals
    .map((row) => ({
      action: row['action'],
      status: row['status'],
      count: row['count'] as number,
      avg_processing_time_ms: (row['avg'] as number | null) ?? null,
      p95_processing_time_ms: row['p95'] === null ? null : Math.round(row['p95'] as number),
    }) as ActivityRow)
    .sort((a, b) => orderOf(a.action, a.status) - orderOf(b.action, b.status));

  const series: ActivityReport['series'] = [];
  const first = epoch(bounds[0]?.['first']);
  const last = epoch(bounds[0]?.['last']);
  if (first !== null && last !== null) {
    const byStart = new Map<number, ActivityReport['series'][number]>();
    for (let start = first; start <= last; start += BUCKET_MS) {
      const point = { start, counts: {} };
      series.push(point);
      byStart.set(start, point);
    }
    for (const row of perHour) {
      const point = byStart.get(epoch(row['hour']) as number);
      if (point) point.counts[row['status'] as GenerationStatus] = row['count'] as number;
    }
  }

  const byReason = new Map<string, number>();
  for (const row of reasons) {
    const reason = failureReasonOf(row['line'] as string);
    byReason.set(reason, (byReason.get(reason) ?? 0) + (row['count'] as number));
  }
  const ranked = [...byReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  const failure_reasons = ranked.slice(0, REASONS_MAX);
  const rest = ranked.slice(REASONS_MAX).reduce((sum, entry) => sum + entry.count, 0);
  if (rest > 0) failure_reasons.push({ reason: OTHER_REASON, count: rest });

  return {
    since,
    bucket_ms: BUCKET_MS,
    rows,
    series,
    failure_reasons,
    recent_failures: recent.map((row) => ({
      id: row['id'] as string,
      user_id: row['user_id'] as string,
      action: row['action'],
      model_id: row['model_id'] as string,
      error: (row['error'] as string | null) ?? 'unknown error',
      created_at: epoch(row['created_at']) as number,
      completed_at: epoch(row['completed_at']),
    })),
  };
}

/** Every user with generations, from the per-user counters the trigger keeps (no generation row is read). */
export async function readUsers(sql: Sql): Promise<UserActivity[]> {
  const rows = await databaseCall('read users', () =>
    sql`SELECT user_id, status, sum(count)::int AS count FROM generation_counts WHERE count > 0 GROUP BY user_id, status`,
  );
  const users = new Map<string, UserActivity>();
  for (const row of rows) {
    const userId = row['user_id'] as string;
    const user = users.get(userId) ?? { user_id: userId, total: 0, counts: {} };
    user.counts[row['status'] as GenerationStatus] = row['count'] as number;
    user.total += row['count'] as number;
    users.set(userId, user);
  }
  // the embedded store's order, so both answer alike
  return [...users.values()].sort((a, b) => b.total - a.total || a.user_id.localeCompare(b.user_id));
}
