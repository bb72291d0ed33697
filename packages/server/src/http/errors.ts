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
  storage_damaged: 500,
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

/**
 * What a caller learns of damaged stored data: that it is damaged and what the operator must do, not which key or
 * file (the log says that). 500, not 503: retrying will not help until the data is restored.
 */
export const STORAGE_DAMAGED_MESSAGE =
  'stored data this request needs is damaged and cannot be read; the server operator must restore the data folder from a backup (the server log names the file and the record)';

/** What the operator reads in the log line of a damaged value. */
export const DAMAGE_RECOVERY =
  'stop the server and restore the data folder (records.lmdb of the embedded store) from a backup; at start the server verifies records.lmdb and names every damaged entry';

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
    const publicMessage = error.code === 'storage_damaged' ? STORAGE_DAMAGED_MESSAGE : 'internal error';
    return {
      status,
      body: internal ? body(error.code, publicMessage, undefined) : body(error.code, error.message, error.details),
      headers,
      unexpected: status >= 500,
    };
  }
  return { status: 500, body: body('internal', 'internal error', undefined), headers: {}, unexpected: true };
}
