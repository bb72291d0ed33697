/** When failed deliveries are tried again. */
export interface RetrySchedule {
  /** Wait after the first failure; doubled after each further one (default 5 s). */
  initialDelayMs: number;
  /** The longest wait between two tries (default 1 h). */
  maxDelayMs: number;
  /** How long after the message was made tries go on; the last is at this point exactly (default 24 h). */
  windowMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  initialDelayMs: 5_000,
  maxDelayMs: 60 * 60 * 1000,
  windowMs: 24 * 60 * 60 * 1000,
};

/**
 * When to try a message again after its `failures`-th failed try at `now`, or null to give up. Exponential
 * back-off, capped; the last try lands exactly at the end of the window, so a receiver is tried for the whole of
 * it (at least 24 h by default) and not a moment less.
 *
 * @example
 * nextAttemptAt({ createdAt: 0, failures: 1, now: 0 }, DEFAULT_RETRY_SCHEDULE); // 5000
 * nextAttemptAt({ createdAt: 0, failures: 30, now: 86_400_000 }, DEFAULT_RETRY_SCHEDULE); // null
 */
export function nextAttemptAt(message: { createdAt: number; failures: number; now: number }, schedule: RetrySchedule): number | null {
  const end = message.createdAt + schedule.windowMs;
  if (message.now >= end) return null;
  const delay = Math.min(schedule.initialDelayMs * 2 ** Math.min(message.failures - 1, 40), schedule.maxDelayMs);
  return Math.min(message.now + delay, end);
}
