import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('createKeyedMutex', () => {
  it('runs tasks of one key one after another, in call order', async () => {
    const withLock = createKeyedMutex();
    let value = 0;
    const seen: number[] = [];
    // Unlocked, every task would read 0 before any write lands.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withLock('k', async () => {
          const read = value;
          await tick();
          value = read + 1;
          seen.push(value);
        }),
      ),
    );
    expect(value).toBe(20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('lets different keys run at the same time', async () => {
    const withLock = createKeyedMutex();
    let running = 0;
    let peak = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        withLock(key, async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('passes results and errors through and keeps going after a failure', async () => {
    const withLock = createKeyedMutex();
    const failing = withLock('k', async () => {
      throw new Error('boom');
    });
    const next = withLock('k', async () => 'after');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });
});
