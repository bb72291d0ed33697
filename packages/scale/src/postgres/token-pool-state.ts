import { randomUUID } from 'node:crypto';
import { DotbaseError, type LeaseFailure, type TokenPoolState, type TokenStats } from '@dotbase/core';
import type { SharedTokenPoolState } from '../tokens/shared-state.js';
import { pickToken, type Candidate } from '../tokens/pick.js';
import type { Sql } from './connect.js';

export interface PostgresTokenPoolStateOptions {
  /**
   * Whose clock decides cooldowns and budget windows: `database` (default; PostgreSQL's, one clock for every
   * instance) or `caller` (the `now` passed in; for tests with virtual time). Lease expiry always runs on the
   * database's clock.
   */
  clock?: 'database' | 'caller';
  /** How long a lease counts as in flight without a heartbeat (default 30 s); renewed every third of it. */
  leaseTtlMs?: number;
}

/** Any fixed number: the advisory lock that makes one acquire at a time across every instance. */
const ACQUIRE_LOCK = 0x746f6b6e; // "tokn"

const ms = (value: Date | null) => (value === null ? null : value.getTime());

/**
 * Token-pool state in PostgreSQL for installs without Redis: the same contract on the seed's `replicate_tokens`
 * table (plus `replicate_token_leases` and `replicate_token_uses`). Acquires take one transaction-scoped advisory
 * lock, so choosing a token and counting it can never interleave between instances; an operator's
 * `UPDATE replicate_tokens SET is_active = false WHERE id = …` is seen by the very next acquire everywhere.
 *
 * @example
 * const state = createPostgresTokenPoolState(sql);
 * const pool = createTokenPool({ tokens, state, budget: { limit: 600, windowMs: 60_000 } });
 */
export function createPostgresTokenPoolState(sql: Sql, options: PostgresTokenPoolStateOptions = {}): SharedTokenPoolState {
  const clock = options.clock ?? 'database';
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const instance = randomUUID();
  let leaseCount = 0;
  /** The ids this instance registered (it holds their secrets): the only ones it may lease. */
  const own = new Set<string>();
  const held = new Map<string, string[]>();

  const heartbeat = setInterval(() => {
    const pairs = [...held].flatMap(([id, names]) => names.map((name) => [id, name] as const));
    if (pairs.length === 0) return;
    // re-inserted if an acquire elsewhere swept it as expired while this instance was too busy to renew it
    sql`INSERT INTO replicate_token_leases (lease, token_id, expires_at)
        SELECT lease, token_id, clock_timestamp() + ${leaseTtlMs} * interval '1 millisecond'
        FROM unnest(${pairs.map((p) => p[1])}::text[], ${pairs.map((p) => p[0])}::text[]) AS held (lease, token_id)
        ON CONFLICT (lease) DO UPDATE SET expires_at = EXCLUDED.expires_at`.catch(() => undefined);
  }, Math.max(10, Math.floor(leaseTtlMs / 3)));
  heartbeat.unref();

  async function applyOutcome(id: string, lease: string | undefined, failure: LeaseFailure | undefined, now: number): Promise<void> {
    const cooldownMs = failure?.cooldownUntil === undefined ? null : failure.cooldownUntil - now;
    const base = clock === 'caller' ? new Date(now) : null;
    const rows = await sql.begin(async (tx) => {
      if (lease) await tx`DELETE FROM replicate_token_leases WHERE lease = ${lease}`;
      return tx`
        UPDATE replicate_tokens SET
          error_count = error_count + ${failure?.countsAsError ? 1 : 0},
          last_error = CASE WHEN ${Boolean(failure?.countsAsError || failure?.disable)} THEN ${failure?.error ?? null}::text ELSE last_error END,
          -- a concurrent lease may already have set a longer cooldown: never shorten it
          cooldown_until = CASE WHEN ${cooldownMs}::float8 IS NULL THEN cooldown_until
            ELSE greatest(cooldown_until, coalesce(${base}::timestamptz, clock_timestamp()) + ${cooldownMs}::float8 * interval '1 millisecond') END,
          is_active = is_active AND NOT ${Boolean(failure?.disable)}
        WHERE id = ${id} RETURNING id`;
    });
    if (rows.length === 0) throw new DotbaseError('not_found', `unknown token id ${id}`);
  }

  async function readStats(id: string | null): Promise<TokenStats[]> {
    const rows = await sql`
      SELECT t.id, t.is_active, t.request_count, t.error_count, t.last_used_at, t.last_error, t.cooldown_until,
             (SELECT count(*) FROM replicate_token_leases l WHERE l.token_id = t.id AND l.expires_at > clock_timestamp())::int AS in_flight
      FROM replicate_tokens t WHERE ${id}::text IS NULL OR t.id = ${id} ORDER BY t.id`;
    return rows.map((row) => ({
      id: row['id'] as string,
      is_active: row['is_active'] as boolean,
      request_count: row['request_count'] as number,
      error_count: row['error_count'] as number,
      in_flight: row['in_flight'] as number,
      last_used_at: ms(row['last_used_at'] as Date | null),
      last_error: row['last_error'] as string | null,
      cooldown_until: ms(row['cooldown_until'] as Date | null),
    }));
  }

  const state: TokenPoolState = {
    async register(ids) {
      if (ids.length > 0) await sql`INSERT INTO replicate_tokens (id) SELECT unnest(${[...ids]}::text[]) ON CONFLICT (id) DO NOTHING`;
      for (const id of ids) own.add(id);
    },

    async acquire(callerNow, budget) {
      leaseCount += 1;
      const lease = `${instance}:${leaseCount}`;
      const answer = await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${ACQUIRE_LOCK})`;
        const [clockRow] = await tx`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now`;
        const now = clock === 'caller' ? callerNow : Math.floor(clockRow?.['now'] as number);
        await tx`DELETE FROM replicate_token_leases WHERE expires_at <= clock_timestamp()`;
        const horizon = budget ? new Date(now - budget.windowMs) : null;
        const rows = await tx`
          SELECT t.id, t.is_active, t.use_seq, t.cooldown_until,
                 (SELECT count(*) FROM replicate_token_leases l WHERE l.token_id = t.id)::int AS in_flight,
                 -- with a budget: the start of the window's slot that frees next, when the window is full
                 CASE WHEN ${horizon}::timestamptz IS NULL THEN NULL ELSE (
                   SELECT u.used_at FROM replicate_token_uses u WHERE u.token_id = t.id AND u.used_at > ${horizon}::timestamptz
                   ORDER BY u.used_at DESC OFFSET ${(budget?.limit ?? 1) - 1} LIMIT 1) END AS full_since
          FROM replicate_tokens t
          -- only tokens this instance holds secrets for (instances may differ during a rolling token change)
          WHERE ${own.size === 0} OR t.id = ANY(${[...own]}::text[])
          ORDER BY t.id`;
        const candidates: Candidate[] = rows.map((row) => {
          const cooldown = ms(row['cooldown_until'] as Date | null) ?? now;
          const fullSince = ms(row['full_since'] as Date | null);
          const budgetFree = fullSince === null || !budget ? now : fullSince + budget.windowMs;
          return {
            id: row['id'] as string,
            isActive: row['is_active'] as boolean,
            usableAt: Math.max(now, cooldown, budgetFree),
            inFlight: row['in_flight'] as number,
            useSeq: row['use_seq'] as number,
          };
        });
        const picked = pickToken(candidates, now);
        if (picked.kind === 'wait') return { kind: 'wait' as const, until: callerNow + (picked.until - now) };
        if (picked.kind === 'none') return picked;
        await tx`UPDATE replicate_tokens SET request_count = request_count + 1, last_used_at = ${new Date(now)}, use_seq = nextval('replicate_token_use_seq') WHERE id = ${picked.id}`;
        await tx`INSERT INTO replicate_token_leases (lease, token_id, expires_at) VALUES (${lease}, ${picked.id}, clock_timestamp() + ${leaseTtlMs} * interval '1 millisecond')`;
        if (budget && horizon) {
          await tx`DELETE FROM replicate_token_uses WHERE token_id = ${picked.id} AND used_at <= ${horizon}`;
          await tx`INSERT INTO replicate_token_uses (token_id, used_at) VALUES (${picked.id}, ${new Date(now)})`;
        }
        return picked;
      });
      if (answer.kind === 'leased') held.set(answer.id, [...(held.get(answer.id) ?? []), lease]);
      return answer;
    },

    async release(id, outcome, now) {
      const names = held.get(id) ?? [];
      const lease = names.shift();
      if (names.length === 0) held.delete(id);
      await applyOutcome(id, lease, outcome.ok ? undefined : outcome, now);
    },

    async recordFailure(id, failure, now) {
      await applyOutcome(id, undefined, failure, now);
    },

    async setActive(id, active) {
      const rows = await sql`UPDATE replicate_tokens SET is_active = ${active} WHERE id = ${id} RETURNING id`;
      if (rows.length === 0) throw new DotbaseError('not_found', `unknown token id ${id}`);
    },

    list: () => readStats(null),

    async get(id) {
      return (await readStats(id))[0];
    },
  };
  return {
    ...state,
    async close() {
      clearInterval(heartbeat);
    },
  };
}
