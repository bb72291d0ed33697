import { DotbaseError } from '../errors.js';
import { NETWORK_ERROR_HEADER, UPSTREAM_STATUS_HEADER } from './sdk-fetch.js';

/** Shape of the SDK's ApiError that we rely on (it is a CommonJS class, so we check by shape). */
interface ApiErrorLike {
  name: string;
  message: string;
  response: Response;
}

function isApiError(error: unknown): error is ApiErrorLike {
  return error instanceof Error && error.name === 'ApiError' && 'response' in error && error.response instanceof Response;
}

/**
 * How long Replicate asks us to wait: the Retry-After header (seconds or an HTTP date) when present, else the
 * `~Ns` hint in its 429 body ("Your rate limit resets in ~30s."), else undefined (the pool then backs off).
 */
export function parseRetryAfter(header: string | null, body: string, now = Date.now()): number | undefined {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const hint = /~\s*(\d+(?:\.\d+)?)\s*s/.exec(body);
  return hint ? Math.ceil(Number(hint[1]) * 1000) : undefined;
}

/** Replicate's error bodies carry `detail` (sometimes `title`); fall back to the raw text, shortened. */
function detailOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const { detail, title } = parsed as { detail?: unknown; title?: unknown };
      if (typeof detail === 'string') return detail;
      if (detail !== undefined) return JSON.stringify(detail);
      if (typeof title === 'string') return title;
    }
  } catch {
    // not JSON: use the text itself
  }
  return body.slice(0, 500) || 'no detail';
}

/**
 * The SDK reads the error body before throwing, so the Response can't be read again; it puts the text in its
 * message instead: `Request to <url> failed with status <n> <text>: <body>.`
 */
function bodyOf(error: ApiErrorLike): string {
  const match = /failed with status \d+[^:]*: ([\s\S]*)\.$/.exec(error.message);
  return match ? match[1]! : '';
}

/** Turns whatever the SDK threw into a typed `DotbaseError`. Messages never contain the token. */
export function toProviderError(error: unknown, operation: string): DotbaseError {
  if (error instanceof DotbaseError) return error;
  if (!isApiError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new DotbaseError('network_error', `[replicate] ${operation} failed: ${message}`, { cause: error });
  }
  const { response } = error;
  const body = bodyOf(error);
  const detail = detailOf(body);
  if (response.headers.get(NETWORK_ERROR_HEADER)) {
    return new DotbaseError('network_error', `[replicate] ${operation} got no answer: ${detail}`);
  }
  const status = Number(response.headers.get(UPSTREAM_STATUS_HEADER) ?? response.status);
  const options = { upstreamStatus: status, details: { detail } };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), body);
    return new DotbaseError('rate_limited', `[replicate] ${operation} was throttled: ${detail}`, { ...options, retryAfterMs });
  }
  if (status === 401 || status === 403) {
    return new DotbaseError('unauthorized', `[replicate] ${operation} refused the token (${status}): ${detail}`, options);
  }
  if (status === 404) return new DotbaseError('not_found', `[replicate] ${operation}: not found: ${detail}`, options);
  if (status === 400 || status === 422) {
    return new DotbaseError('invalid_input', `[replicate] ${operation}: invalid input: ${detail}`, options);
  }
  return new DotbaseError('upstream_error', `[replicate] ${operation} failed with ${status}: ${detail}`, options);
}
