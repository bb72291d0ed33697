import { describe, expect, it } from 'vitest';
import { DotbaseError } from '../errors.js';
import { backoffDelay, decideFailure } from './failure-policy.js';

const backoff = { baseMs: 1000, maxMs: 30_000 };
const context = { now: 10_000, failures: 1, backoff, random: () => 1 };

describe('backoffDelay', () => {
  it('doubles per consecutive failure, caps at maxMs, and jitters within the upper half', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, backoff, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(50, backoff, () => 1)).toBe(30_000);
  });
});

describe('decideFailure', () => {
  it('cools a rate-limited token for Retry-After, or back-off without one', () => {
    expect(decideFailure(new DotbaseError('rate_limited', 'slow down', { retryAfterMs: 7000 }), context)).toEqual({
      outcome: { ok: false, error: 'rate_limited: slow down', countsAsError: true, cooldownUntil: 17_000 },
      retry: true,
    });
    const decision = decideFailure(new DotbaseError('rate_limited', 'slow down'), { ...context, failures: 3 });
    expect(decision.outcome).toMatchObject({ cooldownUntil: 14_000 });
  });

  it('disables a refused token and retries elsewhere', () => {
    expect(decideFailure(new DotbaseError('unauthorized', '401'), context)).toEqual({
      outcome: { ok: false, error: 'unauthorized: 401', countsAsError: true, disable: true },
      retry: true,
    });
  });

  it('counts upstream and network errors with a back-off cooldown', () => {
    for (const code of ['upstream_error', 'network_error'] as const) {
      expect(decideFailure(new DotbaseError(code, 'x'), context)).toEqual({
        outcome: { ok: false, error: `${code}: x`, countsAsError: true, cooldownUntil: 11_000 },
        retry: true,
      });
    }
  });

  it('neither counts nor retries anything else', () => {
    for (const error of [new DotbaseError('invalid_input', 'bad'), new DotbaseError('not_found', 'gone'), new TypeError('bug')]) {
      expect(decideFailure(error, context)).toEqual({ outcome: { ok: false, error: error.message, countsAsError: false }, retry: false });
    }
  });
});
