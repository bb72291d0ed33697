import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './http-errors.js';

describe('parseRetryAfter', () => {
  it('prefers the Retry-After header in seconds', () => {
    expect(parseRetryAfter('7', 'resets in ~30s')).toBe(7000);
  });
  it('accepts an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', '', now)).toBe(5000);
  });
  it("falls back to Replicate's ~Ns hint in the body", () => {
    expect(parseRetryAfter(null, '{"detail":"Request was throttled. Your rate limit resets in ~12s."}')).toBe(12_000);
  });
  it('is undefined when neither is there', () => {
    expect(parseRetryAfter(null, '{"detail":"slow down"}')).toBeUndefined();
  });
});
