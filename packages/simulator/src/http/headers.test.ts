import { describe, expect, it } from 'vitest';
import { parseCancelAfter, parsePreferWait } from './headers.js';

describe('parsePreferWait', () => {
  it('reads wait and wait=N within 1–60', () => {
    expect(parsePreferWait(undefined)).toBeUndefined();
    expect(parsePreferWait('respond-async')).toBeUndefined();
    expect(parsePreferWait('wait')).toBe(60);
    expect(parsePreferWait('wait=5')).toBe(5);
    expect(parsePreferWait('respond-async, wait=10')).toBe(10);
    expect(parsePreferWait('wait=0')).toBe('invalid');
    expect(parsePreferWait('wait=61')).toBe('invalid');
    expect(parsePreferWait('wait=abc')).toBe('invalid');
  });
});

describe('parseCancelAfter', () => {
  it('reads Go-style durations and plain seconds', () => {
    expect(parseCancelAfter('30s')).toBe(30_000);
    expect(parseCancelAfter('1m30s')).toBe(90_000);
    expect(parseCancelAfter('250ms')).toBe(250);
    expect(parseCancelAfter('2')).toBe(2000);
    expect(parseCancelAfter('soon')).toBe('invalid');
  });
});
