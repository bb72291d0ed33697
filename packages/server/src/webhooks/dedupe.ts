import { createMemorySeenOnceStore, type SeenOnceStore } from '@dotbase/core';

/**
 * Remembers webhook ids long enough to drop Replicate's retries of a delivery we already handled. Deliveries
 * older than the timestamp window are refused anyway, so ids need to be kept only a little longer than that.
 * In memory by default; with a shared `store` (Redis or PostgreSQL) a delivery that reaches two instances is
 * handled by one.
 *
 * @example
 * const seen = createDeliveryLog();
 * if (!(await seen.firstTime(id))) return c.json({ ok: true, duplicate: true });
 */
export function createDeliveryLog(options?: { keepMs?: number; now?: () => number }): { firstTime(id: string): boolean; forget(id: string): void };
export function createDeliveryLog(options: { keepMs?: number; store: SeenOnceStore }): DeliveryLog;
export function createDeliveryLog(options: { keepMs?: number; now?: () => number; store?: SeenOnceStore } = {}): DeliveryLog {
  const keepMs = options.keepMs ?? 10 * 60 * 1000;
  const store = options.store ?? createMemorySeenOnceStore(options.now ? { now: options.now } : {});
  // ids share the store with other users of it: a prefix keeps them apart
  const key = options.store ? (id: string) => `replicate-webhook:${id}` : (id: string) => id;
  return {
    /** True the first time an id is seen (within the keep window), false for a repeat. */
    firstTime: (id) => store.firstTime(key(id), keepMs),
    /** Forgets an id whose handling failed, so Replicate's retry is processed instead of dropped. */
    forget: (id) => store.forget(key(id)),
  };
}

export interface DeliveryLog {
  firstTime(id: string): boolean | Promise<boolean>;
  forget(id: string): void | Promise<void>;
}
