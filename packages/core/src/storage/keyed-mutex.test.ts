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

  it('runs shared tasks of one key side by side', async () => {
    const withLock = createKeyedMutex();
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withLock.shared('k', async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(10);
  });

  it('never runs a shared task beside an exclusive one, and keeps arrival order', async () => {
    const withLock = createKeyedMutex();
    const events: string[] = [];
    let value = 'old';
    const read = (name: string) =>
      withLock.shared('k', async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end=${value}`);
        return value;
      });
    const results = await Promise.all([
      read('r1'),
      read('r2'),
      withLock('k', async () => {
        events.push('w:start');
        await tick();
        value = 'new';
        events.push('w:end');
      }),
      read('r3'),
      read('r4'),
    ]);
    expect(results).toEqual(['old', 'old', undefined, 'new', 'new']);
    // the write starts only after both earlier reads ended; the later reads start only after it
    expect(events.indexOf('w:start')).toBeGreaterThan(Math.max(events.indexOf('r1:end=old'), events.indexOf('r2:end=old')));
    expect(events.indexOf('r3:start')).toBeGreaterThan(events.indexOf('w:end'));
    expect(events.indexOf('r4:start')).toBeGreaterThan(events.indexOf('w:end'));
  });

  it('lets a failing shared task release the lock', async () => {
    const withLock = createKeyedMutex();
    await expect(withLock.shared('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withLock('k', async () => 'after')).resolves.toBe('after');
  });
});

