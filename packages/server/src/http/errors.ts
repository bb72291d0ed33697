import { DotbaseError, type DotbaseErrorCode } from '@dotbase/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error that is already an HTTP answer: the server's own failures (auth, limits, bad bodies). Core's
 * `DotbaseError`s are mapped by `errorResponse` below, the one place where codes become statuses.
 *
 * @example
 * throw new HttpError(401, 'unauthenticated', 'sign in or send an API key');
 */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(status: ContentfulStatusCode, code: string, message: string, options: { details?: unknown; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * Statuses for core's codes. `unauthorized` and `rate_limited` come from Replicate refusing *our* token or
 * throttling *us* after the pool's retries: to the caller that is a bad gateway / temporary unavailability,
 * not something they did.
 */
const STATUS_BY_CODE: Record<DotbaseErrorCode, ContentfulStatusCode> = {
  invalid_input: 422,
  not_found: 404,
  unauthorized: 502,
  forbidden: 403,
  rate_limited: 503,
  no_tokens: 503,
  upstream_error: 502,
  network_error: 502,
  prediction_failed: 502,
  output_unavailable: 502,
  conflict: 409,
  storage_error: 500,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Whether this is our fault and worth a log line (5xx). */
  unexpected: boolean;
}

function body(code: string, message: string, details: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Turns anything thrown into the one JSON error shape. Unknown errors become a bare 500 without their message,
 * which could carry internals; the caller logs them.
 */
export function errorResponse(error: unknown): ErrorAnswer {
  if (error instanceof HttpError) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    // a 503 is the server shedding load on purpose (admission control), not a failure worth a log line each
    return { status: error.status, body: body(error.code, error.message, error.details), headers, unexpected: error.status >= 500 && error.status !== 503 };
  }
  if (error instanceof DotbaseError) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    const headers: Record<string, string> =
      error.retryAfterMs === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
    const internal = status === 500;
    return {
      status,
      body: internal ? body(error.code, 'internal error', undefined) : body(error.code, error.message, error.details),
      headers,
      unexpected: status >= 500,
    };
  }
  return { status: 500, body: body('internal', 'internal error', undefined), headers: {}, unexpected: true };
}
