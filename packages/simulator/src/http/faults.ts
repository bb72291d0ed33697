/**
 * A fault to inject into the simulator's API, to test how clients cope with Replicate misbehaving.
 *
 * - `rate_limit`: answer 429 (Replicate's throttling body; `Retry-After` unless `retryAfter: false`)
 * - `server_error`: answer `status` (default 500)
 * - `latency`: wait `delayMs` before handling the request normally
 * - `drop`: destroy the connection without answering
 * - `revoked`: answer 401 as for a revoked token
 * - `fail_prediction`: accept the create; the prediction runs, then ends `failed` with `error` (creates only)
 *
 * A rule matches requests of its `token` (all tokens when absent) and of its `on` scope (`create`, the default, or
 * `all` API requests). It fires on the next `times` matching requests, then is spent; or, without `times`,
 * on each matching request with `probability` (default 1). With both, each match fires with `probability` until
 * `times` have fired.
 *
 * @example
 * sim.setFaults([{ kind: 'rate_limit', times: 2 }, { kind: 'latency', on: 'all', delayMs: 300, probability: 0.1 }]);
 */
export interface FaultRule {
  kind: 'rate_limit' | 'server_error' | 'latency' | 'drop' | 'revoked' | 'fail_prediction';
  token?: string;
  on?: 'create' | 'all';
  times?: number;
  probability?: number;
  /** `server_error`: the 5xx status to answer (default 500). */
  status?: number;
  /** `latency`: how long to hold the request (default 1000 ms). */
  delayMs?: number;
  /** `rate_limit`: the seconds in the body's `~Ns` hint and in `Retry-After` (default 30). */
  retryAfterSeconds?: number;
  /** `rate_limit`: whether to send `Retry-After` (default: the simulator's `retryAfterHeader`). */
  retryAfter?: boolean;
  /** `fail_prediction`: the prediction's `error` (default: a simulated model failure). */
  error?: string;
}

export type FaultKind = FaultRule['kind'];

/** What the faults decided for one request. */
export interface FaultDecision {
  /** Summed `latency` delays to wait first. */
  delayMs: number;
  /** The rule that answers the request instead of the API (rate_limit, server_error, drop, revoked). */
  answer?: FaultRule;
  /** A `fail_prediction` rule fired: the error the created prediction will end with. */
  failPrediction?: string;
  /** How many rules fired. */
  fired: number;
}

export const DEFAULT_FAULT_ERROR = 'Simulated failure (fail_prediction fault): the model raised an exception';

function validate(rule: FaultRule): FaultRule {
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) throw new RangeError(`[dotbase-simulator] fault "${rule.kind}": times must be a whole number ≥ 0`);
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError(`[dotbase-simulator] fault "${rule.kind}": probability must be within 0–1`);
  if (rule.kind === 'server_error' && rule.status !== undefined && !(rule.status >= 500 && rule.status <= 599)) throw new RangeError(`[dotbase-simulator] fault "server_error": status must be 5xx`);
  return { ...rule };
}

/** The active fault rules; `times` counts down as rules fire. */
export class FaultBook {
  #rules: FaultRule[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    this.replace(rules);
  }

  replace(rules: readonly FaultRule[]): void {
    this.#rules = rules.map(validate);
  }

  decide(token: string | undefined, isCreate: boolean): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, fired: 0 };
    if (this.#rules.length === 0) return decision;
    for (const rule of this.#rules) {
      if (rule.token !== undefined && rule.token !== token) continue;
      if ((rule.on ?? 'create') === 'create' || rule.kind === 'fail_prediction') {
        if (!isCreate) continue;
      }
      if (rule.times === 0) continue;
      if (Math.random() >= (rule.probability ?? 1)) continue;
      if (rule.kind !== 'latency' && rule.kind !== 'fail_prediction' && decision.answer) continue;
      if (rule.times !== undefined) rule.times--;
      decision.fired++;
      if (rule.kind === 'latency') decision.delayMs += rule.delayMs ?? 1000;
      else if (rule.kind === 'fail_prediction') decision.failPrediction = rule.error ?? DEFAULT_FAULT_ERROR;
      else decision.answer = rule;
    }
    this.#rules = this.#rules.filter((rule) => rule.times !== 0);
    return decision;
  }
}
