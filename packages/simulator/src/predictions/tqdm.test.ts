import { parseProgressFromLogs } from 'replicate';
import { describe, expect, it } from 'vitest';
import { tqdmLine } from './tqdm.js';

describe('tqdmLine', () => {
  it('prints the line format of the example in Replicate’s docs', () => {
    expect(tqdmLine(2, 4, 203)).toBe(' 50%|█████     | 2/4 [00:00<00:00,  9.85it/s]');
    expect(tqdmLine(0, 4, 0)).toBe('  0%|          | 0/4 [00:00<?, ?it/s]');
  });

  it('is parsed by the replicate SDK at every step', () => {
    for (let done = 0; done <= 7; done++) {
      const progress = parseProgressFromLogs(`Using seed: 1\n${tqdmLine(done, 7, done * 150)}\n`);
      // The SDK reads the printed (floored) percentage.
      expect(progress).toMatchObject({ current: done, total: 7, percentage: Math.floor((done / 7) * 100) / 100 });
    }
  });
});
