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
  /** Downloads an output URL. */
  download(url: string): Promise<{ bytes: Uint8Array; contentType: string }>;
}
