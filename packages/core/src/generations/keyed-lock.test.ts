import { describe, expect, it } from 'vitest';
import { createKeyedLock } from './keyed-lock.js';

describe('createKeyedLock', () => {
  it('runs tasks of one key one at a time, other keys in parallel, and survives failures', async () => {
    const withLock = createKeyedLock();
    const order: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([withLock('a', task('a1', 30, true)), withLock('a', task('a2', 5)), withLock('b', task('b1', 5))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order.indexOf('a1:end')).toBeLessThan(order.indexOf('a2:start'));
    expect(order.indexOf('b1:start')).toBeLessThan(order.indexOf('a1:end'));
  });
});
