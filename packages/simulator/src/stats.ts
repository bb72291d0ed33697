import type { PredictionStatus } from './predictions/types.js';

export interface RequestCounts {
  creates: number;
  gets: number;
  cancels: number;
  /** Every other API request (lists, models, files, webhook secret). */
  others: number;
  /** 401s answered (unknown, revoked or missing token, `revoked` faults). */
  unauthorized: number;
  /** 429s answered, by the rate limiter or a `rate_limit` fault. */
  rateLimited: number;
  faultsInjected: number;
}

export interface SimulatorStats extends RequestCounts {
  /** Predictions created so far, by their current status. */
  predictions: Record<PredictionStatus, number>;
  webhooks: { delivered: number; failed: number };
  perToken: Record<string, RequestCounts>;
}

export type RequestCounter = keyof RequestCounts;

function emptyCounts(): RequestCounts {
  return { creates: 0, gets: 0, cancels: 0, others: 0, unauthorized: 0, rateLimited: 0, faultsInjected: 0 };
}

/** Counters behind `RunningSimulator.stats()`: all O(1) per request. */
export class StatsCollector {
  readonly #totals = emptyCounts();
  readonly #perToken = new Map<string, RequestCounts>();
  readonly #statuses: Record<PredictionStatus, number> = { starting: 0, processing: 0, succeeded: 0, failed: 0, canceled: 0, aborted: 0 };
  readonly #webhooks = { delivered: 0, failed: 0 };

  count(counter: RequestCounter, token: string | undefined): void {
    this.#totals[counter]++;
    if (!token) return;
    let counts = this.#perToken.get(token);
    if (!counts) {
      counts = emptyCounts();
      this.#perToken.set(token, counts);
    }
    counts[counter]++;
  }

  statusChanged(from: PredictionStatus | undefined, to: PredictionStatus): void {
    if (from) this.#statuses[from]--;
    this.#statuses[to]++;
  }

  webhook(outcome: 'delivered' | 'failed'): void {
    this.#webhooks[outcome]++;
  }

  snapshot(): SimulatorStats {
    return {
      ...this.#totals,
      predictions: { ...this.#statuses },
      webhooks: { ...this.#webhooks },
      perToken: Object.fromEntries([...this.#perToken].map(([token, counts]) => [token, { ...counts }])),
    };
  }
}
