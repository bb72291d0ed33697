import { DotbaseError } from '../errors.js';
import { backoffDelay, decideFailure, type BackoffOptions } from './failure-policy.js';
import { createMemoryTokenPoolState } from './memory-state.js';
import { tokenIdFor } from './token-id.js';
import type { LeaseOutcome, TokenBudget, TokenPoolState, TokenStats } from './types.js';

export interface TokenPoolOptions {
  /** Replicate API tokens (secrets). Duplicates collapse into one token. */
  tokens: string[];
  /** Where leases and stats live (default: this process's memory). Share one state between processes. */
  state?: TokenPoolState;
  /** Proactive per-token limit, e.g. `{ limit: 600, windowMs: 60_000 }`. */
  budget?: TokenBudget;
  /** How long `lease` may wait when every active token cools or is over budget (default 30 s). */
  maxWaitMs?: number;
  /** Tries of one `run`, each on the best token at that moment (default 5). */
  maxAttempts?: number;
  /** Cooldown back-off after failures without a Retry-After (default 1 s doubling up to 30 s). */
  backoff?: BackoffOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** One token held for one call. Release it exactly once; later calls are ignored. */
export interface Lease {
  tokenId: string;
  /** The secret, for the Authorization header. Never log it. */
  token: string;
  release(outcome: LeaseOutcome): Promise<void>;
}

export interface TokenPool {
  /** Derives ids and registers them in the state; every other method awaits it. */
  ready(): Promise<void>;
  /** The best token right now, waiting up to `maxWaitMs` when all cool; `no_tokens` when none can serve. */
  lease(): Promise<Lease>;
  /** Calls `fn` with a leased token, retrying on another token as the failure policy says (see `decideFailure`). */
  run<T>(fn: (lease: { token: string; tokenId: string }) => Promise<T>): Promise<{ value: T; tokenId: string }>;
  /**
   * The secret of a token this process knows, e.g. to poll a prediction with the token that created it.
   * Synchronous, so it knows ids only once `ready()` (or any async method) has resolved.
   */
  secretFor(tokenId: string): string | undefined;
  /** Monitoring rows, ordered by id. Never contains secrets. */
  stats(): Promise<TokenStats[]>;
  /** Operator switch; unknown id → `not_found`. */
  setActive(tokenId: string, active: boolean): Promise<void>;
  /**
   * The seed's helper: picks the next token as `lease` does and releases it at once as ok, so the pick is
   * counted (request_count, last_used_at, budget) and rotates round-robin, but the caller holds no lease and
   * in_flight is not raised while it uses the token. Prefer `run`.
   */
  getNextToken(): Promise<{ token: string; tokenId: string }>;
  /** The seed's helper: counts an error against the token and cools it with back-off, so picks rotate away. */
  reportTokenError(tokenId: string, message: string): Promise<void>;
}

const DEFAULTS = { maxWaitMs: 30_000, maxAttempts: 5, backoff: { baseMs: 1000, maxMs: 30_000 } };

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A pool of Replicate tokens that spreads calls over the least-loaded token, rotates away from failing ones and
 * owns retries.
 *
 * @example
 * const pool = createTokenPool({ tokens: ['r8_a…', 'r8_b…'], budget: { limit: 600, windowMs: 60_000 } });
 * const { value: prediction, tokenId } = await pool.run(({ token }) => provider.submit(token, request));
 */
export function createTokenPool(options: TokenPoolOptions): TokenPool {
  if (options.tokens.some((token) => token.trim() === '')) {
    throw new DotbaseError('invalid_input', 'Replicate tokens must not be empty strings');
  }
  const state = options.state ?? createMemoryTokenPoolState();
  const maxWaitMs = options.maxWaitMs ?? DEFAULTS.maxWaitMs;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts);
  const backoff = options.backoff ?? DEFAULTS.backoff;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const secrets = new Map<string, string>();
  // Consecutive failures per token, for back-off. Kept per process: it only shapes cooldown lengths.
  const failures = new Map<string, number>();
  let readyPromise: Promise<void> | undefined;

  function ready(): Promise<void> {
    readyPromise ??= (async () => {
      const ids = await Promise.all(options.tokens.map((token) => tokenIdFor(token)));
      ids.forEach((id, index) => secrets.set(id, options.tokens[index] as string));
      await state.register([...secrets.keys()]);
    })();
    return readyPromise;
  }

  function failureOutcome(tokenId: string, error: unknown) {
    const count = (failures.get(tokenId) ?? 0) + 1;
    const decision = decideFailure(error, { now: now(), failures: count, backoff });
    if (!decision.outcome.ok && decision.outcome.countsAsError) failures.set(tokenId, count);
    return decision;
  }

  function makeLease(tokenId: string, token: string): Lease {
    let released = false;
    return {
      tokenId,
      token,
      async release(outcome) {
        if (released) return;
        released = true;
        if (outcome.ok) failures.delete(tokenId);
        await state.release(tokenId, outcome, now());
      },
    };
  }

  async function lease(): Promise<Lease> {
    await ready();
    const deadline = now() + maxWaitMs;
    for (;;) {
      const result = await state.acquire(now(), options.budget);
      if (result.kind === 'none') {
        throw new DotbaseError('no_tokens', 'no active Replicate token: every token is disabled (re-enable one or add tokens)');
      }
      if (result.kind === 'leased') {
        const token = secrets.get(result.id);
        if (token === undefined) {
          await state.release(result.id, { ok: true }, now());
          throw new DotbaseError('internal', `token ${result.id} is in the shared pool state but not in this process's token list`);
        }
        return makeLease(result.id, token);
      }
      if (result.until > deadline) {
        throw new DotbaseError('no_tokens', `every Replicate token is cooling down or over budget until ${new Date(result.until).toISOString()}, beyond the ${maxWaitMs} ms wait bound`, {
          retryAfterMs: Math.max(0, result.until - now()),
        });
      }
      // At least 1 ms so a clock that did not move cannot spin this loop.
      await sleep(Math.max(1, result.until - now()));
    }
  }

  async function run<T>(fn: (lease: { token: string; tokenId: string }) => Promise<T>): Promise<{ value: T; tokenId: string }> {
    let lastError: unknown;
    // A 429 says "wait", not "this failed": under heavy demand many callers wake up for the same freed token and
    // most meet another 429. Those are waited out (their token cools, the next lease waits) for up to maxWaitMs
    // in all, and only other failures use up the attempts.
    const throttledUntil = now() + maxWaitMs;
    let attempts = 0;
    for (;;) {
      let held: Lease;
      try {
        held = await lease();
      } catch (error) {
        // Earlier attempts explain why no token is left (e.g. every one refused with 401).
        if (lastError !== undefined && error instanceof DotbaseError) {
          const last = lastError instanceof Error ? lastError.message : String(lastError);
          throw new DotbaseError(error.code, `${error.message}; last failure: ${last}`, {
            cause: lastError,
            ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          });
        }
        throw error;
      }
      try {
        const value = await fn({ token: held.token, tokenId: held.tokenId });
        await held.release({ ok: true });
        return { value, tokenId: held.tokenId };
      } catch (error) {
        const decision = failureOutcome(held.tokenId, error);
        await held.release(decision.outcome);
        if (!decision.retry) throw error;
        lastError = error;
        const throttled = error instanceof DotbaseError && error.code === 'rate_limited' && now() < throttledUntil;
        if (!throttled) attempts += 1;
        if (attempts >= maxAttempts) throw error;
      }
    }
  }

  return {
    ready,
    lease,
    run,
    secretFor(tokenId) {
      return secrets.get(tokenId);
    },
    async stats() {
      await ready();
      return state.list();
    },
    async setActive(tokenId, active) {
      await ready();
      if (!(await state.get(tokenId))) throw new DotbaseError('not_found', `unknown token id ${tokenId}`);
      if (active) failures.delete(tokenId);
      await state.setActive(tokenId, active);
    },
    async getNextToken() {
      const held = await lease();
      await held.release({ ok: true });
      return { token: held.token, tokenId: held.tokenId };
    },
    async reportTokenError(tokenId, message) {
      await ready();
      if (!(await state.get(tokenId))) throw new DotbaseError('not_found', `unknown token id ${tokenId}`);
      const count = (failures.get(tokenId) ?? 0) + 1;
      failures.set(tokenId, count);
      const cooldownUntil = now() + backoffDelay(count, backoff);
      await state.recordFailure(tokenId, { ok: false, error: message, countsAsError: true, cooldownUntil }, now());
    },
  };
}
