import { describe, expect, it } from 'vitest';
import { createRetryAfterEstimate } from './retry-after.js';

function second(estimate: ReturnType<typeof createRetryAfterEstimate>, at: number, admitted: number, shed: number): number {
  let answer = 0;
  for (let i = 0; i < admitted; i++) estimate.admitted(at + i / 1000);
  for (let i = 0; i < shed; i++) answer = estimate.shed(at + 0.5 + i / 10_000);
  return answer;
}

describe('createRetryAfterEstimate', () => {
  it('starts at the floor and grows until the callers turned away come back about as fast as work is admitted', () => {
    const estimate = createRetryAfterEstimate({ min: 1, max: 30 });
    // 450 shed and 200 admitted a second, told 1 s: ~450 callers waiting it out → 3 s spreads them to ~150/s
    expect(second(estimate, 0, 200, 450)).toBe(1);
    expect(second(estimate, 1000, 200, 150)).toBe(3);
    // 150 shed a second told 3 s are still ~450 callers: 3 s holds
    expect(second(estimate, 2000, 200, 150)).toBe(3);
    // demand falls: fewer shed, shorter waits, never under the floor
    expect(second(estimate, 3000, 200, 30)).toBe(3);
    expect(second(estimate, 4000, 200, 1)).toBe(1);
  });

  it('keeps its answer through a second with nothing admitted, and stays within its bounds', () => {
    const estimate = createRetryAfterEstimate({ min: 2, max: 5 });
    expect(second(estimate, 0, 10, 1000)).toBe(2);
    expect(second(estimate, 1000, 0, 10)).toBe(5); // from the first second: 1000 × 2 / 10, capped at 5
    expect(second(estimate, 2000, 0, 10)).toBe(5); // nothing admitted in the second before: unchanged
  });
});
