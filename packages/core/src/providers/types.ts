/** The part of Replicate's prediction object dotbase uses. */
export interface Prediction {
  id: string;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
  output: unknown;
  error: unknown;
  logs?: string | null;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  metrics?: { predict_time?: number; total_time?: number };
  /** Present in list and get answers: what the prediction was created with. */
  model?: string;
  version?: string;
  input?: Record<string, unknown>;
  webhook?: string;
}

export interface SubmitRequest {
  route: import('../models/types.js').ModelRoute;
  input: Record<string, unknown>;
  webhook?: string;
  webhookEventsFilter?: Array<'start' | 'output' | 'logs' | 'completed'>;
}

/**
 * Talks to Replicate with one given token. Failures are `DotbaseError`s: `rate_limited` (with retryAfterMs),
 * `unauthorized`, `invalid_input`, `not_found`, `upstream_error`, `network_error`.
 */
export interface ImageProvider {
  submit(token: string, request: SubmitRequest): Promise<Prediction>;
  get(token: string, predictionId: string): Promise<Prediction>;
  cancel(token: string, predictionId: string): Promise<Prediction>;
  /** Uploads bytes through Replicate's files API and returns a URL a prediction can read. */
  uploadFile(token: string, bytes: Uint8Array, contentType: string, filename: string): Promise<string>;
  /**
   * The token's predictions created at or after `since` (ms since the epoch), newest first, read page by page until
   * older ones begin: how crash recovery finds a prediction whose creation answer was lost.
   */
  listSince(token: string, since: number): Promise<Prediction[]>;
  /** Downloads an output URL. */
  download(url: string): Promise<{ bytes: Uint8Array; contentType: string }>;
}
