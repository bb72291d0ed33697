import { createMemoryRateLimitStore, type RateLimitStore, type RateVerdict } from '@dotbase/core';

/**
 * A token bucket per key (user): `perMinute` requests in a burst, refilled evenly over a minute. In memory, per
 * process (the embedded default); with a shared `store` (Redis or PostgreSQL, see `createSharedLimits`) every
 * instance spends from one bucket. The memory store answers synchronously: no promise on every request's path.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 600 });
 * const verdict = limiter.take('alice'); // { ok: false, retryAfterSeconds: 1 } when empty
 */
export function createRateLimiter(options: { perMinute: number; now?: () => number }): { take(key: string): RateVerdict };
export function createRateLimiter(options: { perMinute: number; store: RateLimitStore }): RateLimiter;
export function createRateLimiter(options: { perMinute: number; now?: () => number; store?: RateLimitStore }): RateLimiter {
  const store = options.store ?? createMemoryRateLimitStore(options.now ? { now: options.now } : {});
  const { perMinute } = options;
  return { take: (key) => store.hit(key, perMinute, 60_000) };
}

export interface RateLimiter {
  take(key: string): RateVerdict | Promise<RateVerdict>;
}
