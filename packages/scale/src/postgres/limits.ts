import type { RateLimitStore, RateVerdict, SeenOnceStore, SlotRef, SlotStore } from '@dotbase/core';
import type { Sql } from './connect.js';

/** Expired rows are swept by every this-many-th write of an instance: no timer, and a sweep is one indexed DELETE. */
const SWEEP_EVERY = 200;

/**
 * Per-user limits shared by every instance through PostgreSQL (for installs without Redis): token buckets,
 * expiring slots and seen-once ids in unlogged tables (migration 7), each one atomic statement on the server's
 * clock.
 *
 * @example
 * const limits = createPostgresLimits(sql);
 * await limits.slots.acquire('streams:alice', holder, 32, 30_000);
 */
export function createPostgresLimits(sql: Sql): { rate: RateLimitStore; slots: SlotStore; seen: SeenOnceStore } {
  let writes = 0;
  /** Drops expired rows now and then, in the background: nothing waits for it, a failure is retried next time. */
  function sweepSometimes(): void {
    if (++writes % SWEEP_EVERY !== 0) return;
    sql`DELETE FROM dotbase_rate_limits WHERE full_at < clock_timestamp()`
      .then(() => sql`DELETE FROM dotbase_slots WHERE expires_at < clock_timestamp()`)
      .then(() => sql`DELETE FROM dotbase_seen_once WHERE expires_at < clock_timestamp()`)
      .catch(() => undefined);
  }

  const rate: RateLimitStore = {
    async hit(key, limit, windowMs): Promise<RateVerdict> {
      sweepSometimes();
      const [row] = await sql<{ wait: number }[]>`SELECT dotbase_rate_limit_hit(${key}, ${limit}, ${windowMs}) AS wait`;
      const wait = Number(row?.wait ?? 0);
      return wait === 0 ? { ok: true } : { ok: false, retryAfterSeconds: wait };
    },
  };

  const slots: SlotStore = {
    async acquire(key, holder, max, ttlMs) {
      sweepSometimes();
      const [row] = await sql<{ taken: boolean }[]>`SELECT dotbase_slot_acquire(${key}, ${holder}, ${max}, ${ttlMs}) AS taken`;
      return row?.taken === true;
    },
    async renew(held: SlotRef[], ttlMs) {
      if (held.length === 0) return;
      await sql`
        UPDATE dotbase_slots AS s SET expires_at = clock_timestamp() + ${ttlMs} * interval '1 millisecond'
        FROM unnest(${sql.array(held.map((slot) => slot.key))}::text[], ${sql.array(held.map((slot) => slot.holder))}::text[]) AS r(key, holder)
        WHERE s.key = r.key AND s.holder = r.holder AND s.expires_at > clock_timestamp()`;
    },
    async move(key, from, to, ttlMs) {
      // one statement, one snapshot: other sessions see the slot under the old holder or the new, never neither
      const rows = await sql`
        WITH gone AS (DELETE FROM dotbase_slots WHERE key = ${key} AND holder = ${from} AND expires_at > clock_timestamp() RETURNING key)
        INSERT INTO dotbase_slots (key, holder, expires_at) SELECT key, ${to}, clock_timestamp() + ${ttlMs} * interval '1 millisecond' FROM gone
        ON CONFLICT (key, holder) DO UPDATE SET expires_at = greatest(dotbase_slots.expires_at, EXCLUDED.expires_at)
        RETURNING 1`;
      return rows.length === 1;
    },
    async release(key, holder) {
      await sql`DELETE FROM dotbase_slots WHERE key = ${key} AND holder = ${holder}`;
    },
    async count(key) {
      const [row] = await sql<{ count: number }[]>`SELECT count(*)::int AS count FROM dotbase_slots WHERE key = ${key} AND expires_at > clock_timestamp()`;
      return row?.count ?? 0;
    },
  };

  const seen: SeenOnceStore = {
    async firstTime(id, ttlMs) {
      sweepSometimes();
      // a row comes back only when this call inserted the id or took over an expired one; a racing insert waits
      // for ours and then finds it unexpired
      const rows = await sql`
        INSERT INTO dotbase_seen_once AS s (id, expires_at) VALUES (${id}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
        ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE s.expires_at <= clock_timestamp()
        RETURNING 1`;
      return rows.length === 1;
    },
    async forget(id) {
      await sql`DELETE FROM dotbase_seen_once WHERE id = ${id}`;
    },
  };

  return { rate, slots, seen };
}
