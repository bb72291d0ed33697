/**
 * Remembers webhook ids long enough to drop Replicate's retries of a delivery we already handled. Deliveries
 * older than the timestamp window are refused anyway, so ids need to be kept only a little longer than that.
 *
 * @example
 * const seen = createDeliveryLog();
 * if (!seen.firstTime(id)) return c.json({ ok: true, duplicate: true });
 */
export function createDeliveryLog(options: { keepMs?: number; now?: () => number } = {}) {
  const keepMs = options.keepMs ?? 10 * 60 * 1000;
  const now = options.now ?? Date.now;
  // Insertion order = arrival order, so expired ids are always at the front.
  const seen = new Map<string, number>();

  function prune(at: number): void {
    for (const [id, arrived] of seen) {
      if (at - arrived < keepMs) break;
      seen.delete(id);
    }
  }

  return {
    /** True the first time an id is seen (within the keep window), false for a repeat. */
    firstTime(id: string): boolean {
      const at = now();
      prune(at);
      if (seen.has(id)) return false;
      seen.set(id, at);
      return true;
    },
    /** Forgets an id whose handling failed, so Replicate's retry is processed instead of dropped. */
    forget(id: string): void {
      seen.delete(id);
    },
  };
}

export type DeliveryLog = ReturnType<typeof createDeliveryLog>;
