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
