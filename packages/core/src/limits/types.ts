/**
 * Per-user limits that must hold across every instance of a deployment: one interface per kind of limit, with an
 * in-memory implementation for one process (the embedded default) and shared ones in `@dotbase/scale` (Redis,
 * PostgreSQL). Each interface has one contract suite in `@dotbase/core/testing` that every implementation runs.
 */

/** The answer of a rate limit: go ahead, or wait this many whole seconds (at least 1) before trying again. */
export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A token bucket per key: `limit` requests in a burst, refilled evenly over `windowMs`. A refused hit spends
 * nothing. The memory implementation answers synchronously (it sits on every request's path); shared ones answer
 * with a promise.
 *
 * @example
 * const verdict = await store.hit('alice', 600, 60_000); // { ok: false, retryAfterSeconds: 1 } when empty
 */
export interface RateLimitStore {
  hit(key: string, limit: number, windowMs: number): RateVerdict | Promise<RateVerdict>;
  close?(): Promise<void>;
}

/** One slot held in a `SlotStore`: which counter, and who holds it (unique per holding). */
export interface SlotRef {
  key: string;
  holder: string;
}

/**
 * A counting semaphore per key whose slots expire: at most `max` holders of a key at once, each held for `ttlMs`
 * unless renewed, so the slots of an instance that died free themselves.
 *
 * @example
 * if (!(await slots.acquire('streams:alice', randomUUID(), 32, 30_000))) throw tooMany();
 * await slots.renew([{ key: 'streams:alice', holder }], 30_000); // every ttl / 3 while held
 * await slots.release('streams:alice', holder);
 */
export interface SlotStore {
  /**
   * Takes a slot of `key` for `holder` when fewer than `max` unexpired holders have one (true), else nothing
   * (false). A holder that already has a slot keeps it (true, and its expiry is renewed).
   */
  acquire(key: string, holder: string, max: number, ttlMs: number): Promise<boolean>;
  /** Extends these slots to `ttlMs` from now; slots already expired or released stay gone. */
  renew(slots: SlotRef[], ttlMs: number): Promise<void>;
  /**
   * Hands `from`'s unexpired slot of `key` to `to` in one step (the count never changes in between), renewed to
   * `ttlMs`; false when `from` holds none. If `to` already holds one, `from`'s is simply given back.
   */
  move(key: string, from: string, to: string, ttlMs: number): Promise<boolean>;
  /** Gives a slot back; releasing one not held does nothing. */
  release(key: string, holder: string): Promise<void>;
  /** How many unexpired slots of `key` are held. */
  count(key: string): Promise<number>;
  close?(): Promise<void>;
}

/**
 * Remembers ids for a while, to act on each once: `firstTime` is true for exactly one caller per id within `ttlMs`,
 * however many ask at once.
 *
 * @example
 * if (!(await seen.firstTime(webhookId, 10 * 60_000))) return duplicate();
 */
export interface SeenOnceStore {
  firstTime(id: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets an id (its handling failed), so the next `firstTime` of it is true again. */
  forget(id: string): void | Promise<void>;
  close?(): Promise<void>;
}
