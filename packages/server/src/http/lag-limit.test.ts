import { describe, expect, it } from 'vitest';
import { createLagLimit, meanWaitMs } from './lag-limit.js';

/** A limit fed with chosen delays, one per interval. */
function limitWith(delays: number[]) {
  const samples = [...delays];
  return createLagLimit({ max: 100, min: 8, targetLagMs: 50, intervalMs: 250, sampleLagMs: () => samples.shift() ?? 0 });
}

describe('createLagLimit', () => {
  it('drops to 70 % of what is in flight while the event loop lags, never below the minimum', () => {
    const limit = limitWith([0, 200, 200, 200, 200, 200, 200]);
    expect(limit.update(0, 0)).toBe(100);
    expect(limit.update(60, 100)).toBe(100); // within the interval: unchanged
    expect(limit.update(60, 250)).toBe(42);
    expect(limit.update(42, 500)).toBe(29);
    expect(limit.update(29, 750)).toBe(20);
    expect(limit.update(20, 1000)).toBe(14);
    expect(limit.update(14, 1250)).toBe(9);
    expect(limit.update(9, 1500)).toBe(8);
  });

  it('grows by 10 % per interval while it is reached and the loop keeps up, up to the maximum', () => {
    const limit = limitWith([0, 200, 10, 10, 10]);
    limit.update(0, 0);
    expect(limit.update(50, 250)).toBe(35);
    expect(limit.update(35, 500)).toBe(39); // reached at the previous call, delay fine: +10 %
    expect(limit.update(10, 750)).toBe(39); // not reached since: unchanged
    expect(limit.update(39, 1000)).toBe(43); // reached again
  });

  it('stays at the maximum while the loop keeps up', () => {
    const limit = limitWith([0, 5, 5, 5]);
    for (let t = 0; t <= 1000; t += 250) expect(limit.update(100, t)).toBe(100);
  });
});

describe('meanWaitMs', () => {
  const ms = 1e6;
  it('is about half a turn when every turn of a busy loop takes as long', () => {
    // every sample 60 ms (50 ms late, at a 10 ms resolution): an arrival waits 25 ms of each 60 on average
    expect(meanWaitMs({ mean: 60 * ms, stddev: 0 })).toBeCloseTo(2500 / 120, 5);
  });
  it('is not diluted by the short samples of an idle stretch', () => {
    // 3 samples 400 ms late and 25 on time: the plain mean delay is 43 ms, the wait of a random arrival far more
    const samples = [...Array(3).fill(410), ...Array(25).fill(10)];
    const mean = samples.reduce((a, b) => a + b) / samples.length;
    const stddev = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
    expect(meanWaitMs({ mean: mean * ms, stddev: stddev * ms })).toBeCloseTo((3 * 400 ** 2) / (2 * samples.reduce((a, b) => a + b)), 5);
    expect(meanWaitMs({ mean: 10 * ms, stddev: 0 })).toBe(0);
  });
});
