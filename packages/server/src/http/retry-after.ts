/**
 * What `Retry-After` to give the creates that are shed: long enough that the callers turned away come back about
 * as fast as the server admits work, instead of all of them every second. Callers that were told R seconds and
 * were shed at s per second are about s × R callers waiting it out; coming back over R' seconds they arrive at
 * s × R / R' per second, which matches the a per second the server admitted when R' = s × R / a. Re-estimated each
 * second from the last second's counts, rounded up to whole seconds, kept within [min, max]. One second with
 * nothing admitted keeps the previous answer.
 *
 * @example
 * const retryAfter = createRetryAfterEstimate({ min: 1, max: 30 });
 * retryAfter.admitted(now); … const seconds = retryAfter.shed(now); // → Retry-After: seconds
 */
export function createRetryAfterEstimate(options: { min: number; max: number; windowMs?: number }) {
  const windowMs = options.windowMs ?? 1000;
  let seconds = options.min;
  let windowStart: number | undefined;
  let shedCount = 0;
  let admittedCount = 0;

  function roll(now: number): void {
    if (windowStart === undefined) windowStart = now;
    if (now - windowStart < windowMs) return;
    if (admittedCount > 0) {
      const estimate = Math.ceil((shedCount * seconds) / admittedCount);
      seconds = Math.min(options.max, Math.max(options.min, estimate));
    }
    // a gap of several windows with no traffic starts over from the floor
    if (now - windowStart >= 2 * windowMs && shedCount === 0) seconds = options.min;
    windowStart = now;
    shedCount = 0;
    admittedCount = 0;
  }

  return {
    admitted(now: number): void {
      roll(now);
      admittedCount += 1;
    },
    /** Counts one shed create; returns the Retry-After (seconds) to send it. */
    shed(now: number): number {
      roll(now);
      shedCount += 1;
      return seconds;
    },
  };
}
