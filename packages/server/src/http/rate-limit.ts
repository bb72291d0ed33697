/**
 * A token bucket per key (user): `perMinute` requests in a burst, refilled evenly over a minute. In memory, per
 * process: it protects this process, and several processes each allow their own share.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 600 });
 * const verdict = limiter.take('alice'); // { ok: false, retryAfterSeconds: 1 } when empty
 */
export function createRateLimiter(options: { perMinute: number; now?: () => number }) {
  const capacity = options.perMinute;
  const refillPerMs = options.perMinute / 60_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();

  /** Full buckets hold no information; dropping them keeps memory bounded by recently active users. */
  function forgetIdle(at: number): void {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (at - bucket.at) * refillPerMs >= capacity) buckets.delete(key);
    }
  }

  return {
    take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const at = now();
      if (buckets.size > 10_000) forgetIdle(at);
      const bucket = buckets.get(key) ?? { tokens: capacity, at };
      const tokens = Math.min(capacity, bucket.tokens + (at - bucket.at) * refillPerMs);
      if (tokens < 1) {
        buckets.set(key, { tokens, at });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, at });
      return { ok: true };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
