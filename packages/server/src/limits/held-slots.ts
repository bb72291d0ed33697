import { randomUUID } from 'node:crypto';
import type { SlotRef, SlotStore } from '@dotbase/core';
import type { Logger } from '../log.js';

/** How long a slot counts without renewal: the slots of an instance that died are free again this long after. */
export const SLOT_TTL_MS = 30_000;

/**
 * The slots this instance holds in a shared `SlotStore`, renewed together every third of their TTL (one call for
 * all of them), so they stay taken while we hold them and free themselves when this process dies.
 *
 * @example
 * const held = createHeldSlots(store, { logger });
 * const release = await held.take('streams:alice', 32); // null when the key is full
 * release?.();
 */
export function createHeldSlots(store: SlotStore, options: { logger: Logger; ttlMs?: number; shutdown?: AbortSignal }) {
  const ttlMs = options.ttlMs ?? SLOT_TTL_MS;
  const held = new Map<string, SlotRef>();
  const id = (slot: SlotRef) => `${slot.key}\n${slot.holder}`;
  const timer = setInterval(() => {
    if (held.size === 0) return;
    store.renew([...held.values()], ttlMs).catch((error: unknown) => options.logger.warn('could not renew shared limit slots', { error: String(error) }));
  }, ttlMs / 3);
  // the slots serve requests; they must not keep a finished process alive
  timer.unref();
  options.shutdown?.addEventListener('abort', () => clearInterval(timer), { once: true });

  function releaser(slot: SlotRef): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.delete(id(slot));
      // a failed release costs a slot until its expiry, never a request
      store.release(slot.key, slot.holder).catch((error: unknown) => options.logger.warn('could not release a shared limit slot', { error: String(error) }));
    };
  }

  return {
    ttlMs,
    /** Takes one of `max` slots of `key`, held (and renewed) until the returned release; null when full. */
    async take(key: string, max: number, holder: string = randomUUID()): Promise<(() => void) | null> {
      const slot = { key, holder };
      if (!(await store.acquire(key, holder, max, ttlMs))) return null;
      held.set(id(slot), slot);
      return releaser(slot);
    },
    /**
     * Hands the slot `from` holds to `to` (kept and renewed by this instance from now on), in one step; false when
     * `from` held none. Returns the new holder's release.
     */
    async move(key: string, from: string, to: string): Promise<(() => void) | null> {
      held.delete(id({ key, holder: from }));
      if (!(await store.move(key, from, to, ttlMs))) return null;
      const slot = { key, holder: to };
      held.set(id(slot), slot);
      return releaser(slot);
    },
    count: (key: string) => store.count(key),
    stop: () => clearInterval(timer),
  };
}

export type HeldSlots = ReturnType<typeof createHeldSlots>;
