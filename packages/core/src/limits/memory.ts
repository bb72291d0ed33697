import type { RateLimitStore, RateVerdict, SeenOnceStore, SlotRef, SlotStore } from './types.js';

/**
 * Token buckets in this process's memory. Synchronous and allocation-light: it runs on every request.
 *
 * @example
 * const limits = createMemoryRateLimitStore();
 * limits.hit('alice', 600, 60_000); // { ok: true }
 */
export function createMemoryRateLimitStore(options: { now?: () => number } = {}): RateLimitStore & { hit(key: string, limit: number, windowMs: number): RateVerdict } {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number; limit: number; windowMs: number }>();

  /** Full buckets hold no information; dropping them keeps memory bounded by recently active users. */
  function forgetIdle(at: number): void {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + ((at - bucket.at) * bucket.limit) / bucket.windowMs >= bucket.limit) buckets.delete(key);
    }
  }

  return {
    hit(key: string, limit: number, windowMs: number): RateVerdict {
      const at = now();
      if (buckets.size > 10_000) forgetIdle(at);
      const refillPerMs = limit / windowMs;
      const bucket = buckets.get(key);
      const tokens = bucket ? Math.min(limit, bucket.tokens + Math.max(0, at - bucket.at) * refillPerMs) : limit;
      if (tokens < 1) {
        buckets.set(key, { tokens, at, limit, windowMs });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000)) };
      }
      buckets.set(key, { tokens: tokens - 1, at, limit, windowMs });
      return { ok: true };
    },
  };
}

/**
 * Expiring slots in this process's memory (one process: nothing to share, nothing dies without us).
 *
 * @example
 * const slots = createMemorySlotStore();
 * await slots.acquire('streams:alice', 'h1', 32, 30_000); // true
 */
export function createMemorySlotStore(options: { now?: () => number } = {}): SlotStore {
  const now = options.now ?? Date.now;
  const byKey = new Map<string, Map<string, number>>();

  function live(key: string, at: number): Map<string, number> | undefined {
    const holders = byKey.get(key);
    if (!holders) return undefined;
    for (const [holder, expires] of holders) if (expires <= at) holders.delete(holder);
    if (holders.size === 0) {
      byKey.delete(key);
      return undefined;
    }
    return holders;
  }

  return {
    async acquire(key, holder, max, ttlMs) {
      const at = now();
      const holders = live(key, at) ?? new Map<string, number>();
      if (!holders.has(holder) && holders.size >= max) return false;
      holders.set(holder, at + ttlMs);
      byKey.set(key, holders);
      return true;
    },
    async renew(slots: SlotRef[], ttlMs) {
      const at = now();
      for (const { key, holder } of slots) {
        const holders = live(key, at);
        if (holders?.has(holder)) holders.set(holder, at + ttlMs);
      }
    },
    async move(key, from, to, ttlMs) {
      const at = now();
      const holders = live(key, at);
      if (!holders?.has(from)) return false;
      holders.delete(from);
      holders.set(to, at + ttlMs);
      return true;
    },
    async release(key, holder) {
      const holders = byKey.get(key);
      if (!holders) return;
      holders.delete(holder);
      if (holders.size === 0) byKey.delete(key);
    },
    async count(key) {
      return live(key, now())?.size ?? 0;
    },
  };
}

/**
 * Seen ids in this process's memory, each forgotten `ttlMs` after it was first seen.
 *
 * @example
 * const seen = createMemorySeenOnceStore();
 * seen.firstTime('msg_1', 600_000); // true, then false
 */
export function createMemorySeenOnceStore(options: { now?: () => number } = {}): SeenOnceStore & { firstTime(id: string, ttlMs: number): boolean; forget(id: string): void } {
  const now = options.now ?? Date.now;
  // Insertion order = arrival order: with one ttl (the usual case) expired ids are always at the front.
  const seen = new Map<string, number>();

  function prune(at: number): void {
    for (const [id, expires] of seen) {
      if (expires > at) break;
      seen.delete(id);
    }
  }

  return {
    firstTime(id: string, ttlMs: number): boolean {
      const at = now();
      prune(at);
      const expires = seen.get(id);
      if (expires !== undefined && expires > at) return false;
      seen.delete(id);
      seen.set(id, at + ttlMs);
      return true;
    },
    forget(id: string): void {
      seen.delete(id);
    },
  };
}
