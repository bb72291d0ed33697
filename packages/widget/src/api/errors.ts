/**
 * Every failure the widget reports carries a `code`: the server's error code when it sent one
 * (`invalid_input`, `rate_limited`, …), or one of the client's own (`network_error`, `bad_response`, `aborted`).
 */
export class ApiError extends Error {
  readonly code: string;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly details?: unknown;

  constructor(code: string, message: string, status = 0, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Reads the server's `{ error: { code, message, details? } }` body; falls back to the status line. */
export function errorFromBody(status: number, body: unknown, statusText = ''): ApiError {
  const error = (body as ErrorBody | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error?.message === 'string' ? error.message : statusText || `HTTP ${status}`;
  return new ApiError(code, message, status, error?.details);
}

export function isAbort(error: unknown): boolean {
  return (error instanceof DOMException && error.name === 'AbortError') || (error instanceof ApiError && error.code === 'aborted');
}

/**
 * `fetch` fails the same way for a server that refused this page by CORS and for one that is down. A no-cors
 * request tells them apart: it resolves (opaquely) whenever the server answered at all. Only worth asking when the
 * endpoint is on another origin; same-origin requests are never refused by CORS.
 */
export async function networkFailure(url: string, cause: unknown): Promise<ApiError> {
  const message = cause instanceof Error ? cause.message : String(cause);
  // Outside a browser page (Node, a worker without location) there is no CORS to blame.
  if (typeof location === 'undefined') return new ApiError('network_error', message);
  const target = new URL(url, location.href);
  if (target.origin !== location.origin) {
    const answered = await fetch(target.origin + target.pathname, { mode: 'no-cors', credentials: 'omit' }).then(
      () => true,
      () => false,
    );
    if (answered) return new ApiError('cors_refused', `${target.origin} did not allow requests from ${location.origin}`, 0, { origin: location.origin });
  }
  return new ApiError('network_error', message);
}

/** Codes worth a Retry button: the same request may succeed later. Refusals of the request itself never will. */
const TRANSIENT = new Set(['network_error', 'rate_limited', 'too_many_generations', 'no_tokens', 'upstream_error', 'output_unavailable', 'storage_error', 'prediction_failed', 'internal', 'conflict']);

export function canRetry(code: string): boolean {
  return TRANSIENT.has(code) || /^http_5\d\d$/.test(code);
}
