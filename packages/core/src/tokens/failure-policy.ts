import { isDotbaseError } from '../errors.js';
import type { LeaseFailure, LeaseOutcome } from './types.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential back-off with "equal jitter": half the delay is fixed, half random, so a token that keeps failing
 * rests longer each time while several processes backing off the same token don't all come back together.
 * `failures` is the token's consecutive failure count, 1 for the first.
 */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const delay = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(exponent, 30));
  return Math.round(delay / 2 + random() * (delay / 2));
}

export interface FailureDecision {
  outcome: LeaseOutcome;
  /** Whether another token may succeed where this one failed. */
  retry: boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * How a failed call affects the token it used:
 * - `rate_limited` → counted; the token cools for `retryAfterMs` when Replicate said so, else back-off; retry.
 * - `unauthorized` → counted and the token is disabled (an operator must re-enable it); retry.
 * - `upstream_error` / `network_error` → counted, short back-off cooldown; retry.
 * - anything else (`invalid_input`, `not_found`, a bug…) is not the token's fault: not counted, not retried.
 *
 * @example
 * const { outcome, retry } = decideFailure(error, { now: Date.now(), failures: 1, backoff: { baseMs: 1000, maxMs: 30_000 } });
 */
export function decideFailure(
  error: unknown,
  context: { now: number; failures: number; backoff: BackoffOptions; random?: () => number },
): FailureDecision {
  const message = messageOf(error);
  const backoffUntil = () => context.now + backoffDelay(context.failures, context.backoff, context.random);
  if (isDotbaseError(error, 'rate_limited')) {
    const cooldownUntil = error.retryAfterMs !== undefined ? context.now + error.retryAfterMs : backoffUntil();
    return { outcome: failure(`rate_limited: ${message}`, { cooldownUntil }), retry: true };
  }
  if (isDotbaseError(error, 'unauthorized')) {
    return { outcome: failure(`unauthorized: ${message}`, { disable: true }), retry: true };
  }
  if (isDotbaseError(error, 'upstream_error') || isDotbaseError(error, 'network_error')) {
    return { outcome: failure(`${error.code}: ${message}`, { cooldownUntil: backoffUntil() }), retry: true };
  }
  return { outcome: { ok: false, error: message, countsAsError: false }, retry: false };
}

function failure(error: string, effects: Pick<LeaseFailure, 'cooldownUntil' | 'disable'>): LeaseFailure {
  return { ok: false, error, countsAsError: true, ...effects };
}
