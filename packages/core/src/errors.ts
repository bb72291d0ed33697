/**
 * Every failure dotbase reports is a `DotbaseError` with a stable `code`, so the HTTP edge can map it to one
 * JSON shape and callers can branch on the code instead of parsing messages.
 *
 * @example
 * throw new DotbaseError('invalid_input', 'aspect_ratio must be one of 1:1, 16:9', { details: { field: 'aspect_ratio' } });
 */
export type DotbaseErrorCode =
  | 'invalid_input' // the caller sent something wrong (maps to 400/422)
  | 'not_found' // unknown id, model, generation (404)
  | 'unauthorized' // a Replicate token was refused (401/403 from Replicate)
  | 'forbidden'
  | 'rate_limited' // Replicate answered 429; see `retryAfterMs`
  | 'no_tokens' // the pool has no usable token (all disabled or cooling beyond the wait bound)
  | 'upstream_error' // Replicate answered 5xx or something unexpected
  | 'network_error' // the request never got an answer
  | 'prediction_failed' // Replicate ran the model and it failed
  | 'output_unavailable' // the output could not be copied into storage (expired, gone)
  | 'conflict'
  | 'storage_error'
  | 'storage_damaged' // a stored value cannot be read as written (the file was damaged); restore from a backup
  | 'internal';

export interface DotbaseErrorOptions {
  details?: unknown;
  /** For `rate_limited`: how long the caller should wait, from Retry-After or Replicate's `~Ns` hint. */
  retryAfterMs?: number;
  /** The HTTP status an upstream answered with, when there was one. */
  upstreamStatus?: number;
  cause?: unknown;
}

export class DotbaseError extends Error {
  readonly code: DotbaseErrorCode;
  readonly details?: unknown;
  readonly retryAfterMs?: number;
  readonly upstreamStatus?: number;

  constructor(code: DotbaseErrorCode, message: string, options: DotbaseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DotbaseError';
    this.code = code;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamStatus = options.upstreamStatus;
  }
}

export function isDotbaseError(value: unknown, code?: DotbaseErrorCode): value is DotbaseError {
  return value instanceof DotbaseError && (code === undefined || value.code === code);
}

/**
 * For `.catch`: answers `fallback` when the error is `storage_damaged`, and rethrows anything else. For the few
 * places that can carry on past one damaged record (start-up recovery) instead of failing as a whole.
 */
export function unlessDamaged<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (isDotbaseError(error, 'storage_damaged')) return fallback;
    throw error;
  };
}
