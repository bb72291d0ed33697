import { describe, expect, it } from 'vitest';
import { progressFromLogs } from './progress.js';

describe('progressFromLogs', () => {
  it('reads the last tqdm line', () => {
    const logs = 'Using seed: 1\n  0%|          | 0/4 [00:00<?, ?it/s]\n 25%|██▌       | 1/4 [00:00<00:00,  9.84it/s]\n 75%|███████▌  | 3/4 [00:00<00:00,  9.84it/s]\n';
    expect(progressFromLogs(logs)).toBe(75);
  });
  it('handles carriage-return updates on one line', () => {
    expect(progressFromLogs(' 10%|█ | 1/10 [00:01]\r 20%|██ | 2/10 [00:02]')).toBe(20);
  });
  it('is null when the model prints no percentages', () => {
    expect(progressFromLogs('Generating image...\nDone')).toBeNull();
    expect(progressFromLogs(null)).toBeNull();
    expect(progressFromLogs('')).toBeNull();
  });
});
