import { describe, expect, it } from 'vitest';
import { createDeliveryLog } from './dedupe.js';

describe('createDeliveryLog', () => {
  it('reports a repeat within the window, forgets after it, and forgets on request', () => {
    let now = 0;
    const log = createDeliveryLog({ keepMs: 1000, now: () => now });
    expect(log.firstTime('a')).toBe(true);
    expect(log.firstTime('a')).toBe(false);
    expect(log.firstTime('b')).toBe(true);
    now = 1500;
    expect(log.firstTime('a')).toBe(true);
    log.forget('a');
    expect(log.firstTime('a')).toBe(true);
  });
});
