import { randomUUID } from 'node:crypto';
import { DotbaseError, type AcquireResult, type LeaseFailure, type LeaseOutcome, type TokenStats } from '@dotbase/core';
import type { Redis } from 'ioredis';
import type { SharedTokenPoolState } from '../tokens/shared-state.js';
import { defineScripts } from './define-scripts.js';
import { ACQUIRE, REGISTER, RELEASE, RENEW, SET_ACTIVE, STATS } from './scripts.js';

export interface RedisTokenPoolStateOptions {
  /** Key prefix shared by every instance of one deployment (default `dotbase:tokens`). */
  prefix?: string;
  /**
   * Whose clock decides cooldowns and budget windows: `redis` (default; one clock for every instance, however far
   * theirs drift) or `caller` (the `now` passed in; for tests with virtual time).
   */
  clock?: 'redis' | 'caller';
  /**
   * How long a lease counts as in flight without a heartbeat (default 30 s). This instance renews its leases every
   * third of it; when it dies, its leases expire and in_flight falls back without anyone releasing them.
   */
  leaseTtlMs?: number;
}


type ScriptName = 'dotbaseAcquire' | 'dotbaseRelease' | 'dotbaseRegister' | 'dotbaseSetActive' | 'dotbaseRenew' | 'dotbaseStats';
type ScriptRunner = Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

const SCRIPTS: Record<ScriptName, string> = {
  dotbaseAcquire: ACQUIRE,
  dotbaseRelease: RELEASE,
  dotbaseRegister: REGISTER,
  dotbaseSetActive: SET_ACTIVE,
  dotbaseRenew: RENEW,
  dotbaseStats: STATS,
};

const optionalNumber = (value: string) => (value === '' ? null : Number(value));

function statsFromRow(row: string[]): TokenStats {
  const [id, active, requests, errors, inFlight, lastUsed, lastError, cooldown] = row as [string, string, string, string, string, string, string, string];
  return {
    id,
    is_active: active === '1',
    request_count: Number(requests),
    error_count: Number(errors),
    in_flight: Number(inFlight),
    last_used_at: optionalNumber(lastUsed),
    last_error: lastError === '' ? null : lastError,
    cooldown_until: optionalNumber(cooldown),
  };
}

/**
 * Token-pool state in Redis, shared by any number of instances: one Lua script picks the least-loaded usable token
 * and reserves it atomically; budgets are sliding windows; cooldowns are keys that expire with the cooldown;
 * in-flight counts are leases with a heartbeat, so a dead instance's leases expire instead of leaking.
 *
 * @example
 * const state = createRedisTokenPoolState(new Redis(process.env.REDIS_URL!));
 * const pool = createTokenPool({ tokens, state, budget: { limit: 600, windowMs: 60_000 } });
 */
export function createRedisTokenPoolState(redis: Redis, options: RedisTokenPoolStateOptions = {}): SharedTokenPoolState {
  const scripts = defineScripts<ScriptRunner>(redis, SCRIPTS, 0);
  const prefix = options.prefix ?? 'dotbase:tokens';
  const clock = options.clock ?? 'redis';
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const instance = randomUUID();
  let leaseCount = 0;
  /** Leases this instance holds, per token id: the names to release and to renew. */
  const held = new Map<string, string[]>();
  /** The ids this instance registered (it holds their secrets): the only ones it may lease. */
  const own = new Set<string>();
  const head = (now: number) => [prefix, clock, Math.round(now)];

  const heartbeat = setInterval(() => {
    const pairs = [...held].flatMap(([id, names]) => names.flatMap((name) => [id, name]));
    // a failed renewal is retried on the next beat; a lease expires only after three missed beats
    if (pairs.length > 0) scripts.dotbaseRenew(...head(Date.now()), leaseTtlMs, ...pairs).catch(() => undefined);
  }, Math.max(10, Math.floor(leaseTtlMs / 3)));
  heartbeat.unref();

  async function release(id: string, lease: string, failure: LeaseFailure | undefined, now: number): Promise<void> {
    const cooldownMs = failure?.cooldownUntil === undefined ? '' : Math.round(failure.cooldownUntil - now);
    const known = await scripts.dotbaseRelease(
      ...head(now),
      id,
      lease,
      failure?.countsAsError ? '1' : '0',
      failure?.error ?? '',
      cooldownMs,
      failure?.disable ? '1' : '0',
    );
    if (known === 0) throw new DotbaseError('not_found', `unknown token id ${id}`);
  }

  return {
    async register(ids) {
      if (ids.length > 0) await scripts.dotbaseRegister(...head(Date.now()), ...ids);
      for (const id of ids) own.add(id);
    },
    async acquire(now, budget): Promise<AcquireResult> {
      leaseCount += 1;
      const lease = `${instance}:${leaseCount}`;
      const answer = (await scripts.dotbaseAcquire(...head(now), budget ? budget.limit : '', budget ? budget.windowMs : '', lease, leaseTtlMs, ...own)) as string[];
      if (answer[0] === 'none') return { kind: 'none' };
      if (answer[0] === 'wait') return { kind: 'wait', until: now + Number(answer[1]) };
      const id = answer[1] as string;
      held.set(id, [...(held.get(id) ?? []), lease]);
      return { kind: 'leased', id };
    },
    async release(id, outcome: LeaseOutcome, now) {
      const names = held.get(id) ?? [];
      const lease = names.shift() ?? '';
      if (names.length === 0) held.delete(id);
      await release(id, lease, outcome.ok ? undefined : outcome, now);
    },
    async recordFailure(id, failure, now) {
      await release(id, '', failure, now);
    },
    async setActive(id, active) {
      if ((await scripts.dotbaseSetActive(...head(Date.now()), id, active ? '1' : '0')) === 0) throw new DotbaseError('not_found', `unknown token id ${id}`);
    },
    async list() {
      return ((await scripts.dotbaseStats(...head(Date.now()), '')) as string[][]).map(statsFromRow);
    },
    async get(id) {
      const [row] = (await scripts.dotbaseStats(...head(Date.now()), id)) as string[][];
      return row ? statsFromRow(row) : undefined;
    },
    async close() {
      clearInterval(heartbeat);
    },
  };
}
