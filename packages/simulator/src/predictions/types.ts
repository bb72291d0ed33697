import type { RenderPlan } from '../catalog/types.js';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

export const TERMINAL_STATUSES: ReadonlySet<PredictionStatus> = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';

/** A prediction exactly as Replicate's API shows it. */
export interface PredictionJson {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  output: string | string[] | null;
  error: string | null;
  logs: string;
  status: PredictionStatus;
  source: 'api';
  data_removed: boolean;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  urls: { get: string; cancel: string; web: string };
  metrics: { predict_time?: number; total_time?: number };
  webhook?: string;
  webhook_events_filter?: WebhookEvent[];
}

/** The simulator's own record of a prediction: the JSON's facts plus what drives its lifecycle. */
export interface PredictionRecord {
  id: string;
  /** Sequence number across all predictions: orders list pages and cursors. */
  seq: number;
  token: string;
  model: string;
  version: string;
  /** The input as the caller sent it (Replicate echoes it without defaults). */
  input: Record<string, unknown>;
  plan: RenderPlan;
  /** Replicate answers some models with one URL, others with a list. */
  outputShape: 'one' | 'list';
  status: PredictionStatus;
  output: string | string[] | null;
  error: string | null;
  logs: string;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  /** When output, input and logs are deleted (`data_removed`). */
  expiresAt?: number;
  /** `Cancel-After`: past this the prediction is aborted (not started) or canceled (running). */
  deadline?: number;
  /** Set by the `simulate:fail` prompt or a `fail_prediction` fault: the run ends `failed` with this error. */
  forcedError?: string;
  webhook?: { url: string; events: ReadonlySet<WebhookEvent> };
}
