import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt } from './schedule.js';

describe('nextAttemptAt', () => {
  it('backs off exponentially up to the cap', () => {
    const waits = [1, 2, 3, 4, 12, 13].map((failures) => (nextAttemptAt({ createdAt: 0, failures, now: 1000 }, DEFAULT_RETRY_SCHEDULE) as number) - 1000);
    expect(waits).toEqual([5000, 10_000, 20_000, 40_000, 3_600_000, 3_600_000]);
  });

  it('keeps trying for the whole 24 h window, the last try at its very end, then gives up', () => {
    const day = 24 * 3_600_000;
    let now = 0;
    let failures = 0;
    const tries: number[] = [];
    for (;;) {
      failures += 1;
      const next = nextAttemptAt({ createdAt: 0, failures, now }, DEFAULT_RETRY_SCHEDULE);
      if (next === null) break;
      tries.push(next);
      now = next;
    }
    expect(tries.at(-1)).toBe(day);
    expect(tries.every((at, i) => i === 0 || at > (tries[i - 1] as number))).toBe(true);
    // a handful of tries, not a hammering: 5 s doubling to hourly
    expect(tries.length).toBeLessThan(40);
  });
});
