/**
 * Token-pool state lives behind this interface so several server processes can share one pool (a Redis
 * implementation can follow). Every method is async and every decision that must be atomic across
 * processes (choosing a token and marking it busy) is one call.
 */
export interface TokenPoolState {
  /** Registers token ids, keeping stats of ids already known. Ids never contain the secret. */
  register(ids: readonly string[]): Promise<void>;
  /**
   * Atomically picks the usable token with the fewest leases in flight (ties: least recently used, then id),
   * skipping inactive tokens, tokens cooling down (`cooldown_until > now`) and tokens over `budget`; marks it
   * used (in_flight + 1, request_count + 1, last_used_at = now, budget counted).
   */
  acquire(now: number, budget?: TokenBudget): Promise<AcquireResult>;
  /** Ends a lease: in_flight − 1 and the outcome's effects (errors counted, cooldown set, token disabled). */
  release(id: string, outcome: LeaseOutcome, now: number): Promise<void>;
  /**
   * Applies a failure's effects without ending a lease (in_flight untouched), for errors reported about a token
   * outside a lease, e.g. by a poll that used the token's secret directly.
   */
  recordFailure(id: string, failure: LeaseFailure, now: number): Promise<void>;
  /** Enables or disables a token; an unknown id is `DotbaseError('not_found')` (so are release and recordFailure). */
  setActive(id: string, active: boolean): Promise<void>;
  /** Every registered token, ordered by id. */
  list(): Promise<TokenStats[]>;
  get(id: string): Promise<TokenStats | undefined>;
}

/** Proactive per-token limit, e.g. 600 creates per 60 s, so the pool avoids 429s instead of absorbing them. */
export interface TokenBudget {
  limit: number;
  windowMs: number;
}

export type AcquireResult =
  | { kind: 'leased'; id: string }
  /** Every active token is cooling down or over budget; the earliest is free at `until` (epoch ms). */
  | { kind: 'wait'; until: number }
  /** No active token at all. */
  | { kind: 'none' };

export type LeaseOutcome =
  | { ok: true }
  | {
      ok: false;
      error: string;
      /** Count the error against the token (false for errors that are the caller's fault, e.g. 422). */
      countsAsError: boolean;
      cooldownUntil?: number;
      disable?: boolean;
    };

export type LeaseFailure = Extract<LeaseOutcome, { ok: false }>;

export interface TokenStats {
  id: string;
  is_active: boolean;
  request_count: number;
  error_count: number;
  in_flight: number;
  last_used_at: number | null;
  last_error: string | null;
  cooldown_until: number | null;
}
