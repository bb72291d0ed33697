import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  404: 'Not found',
  413: 'Payload too large',
  422: 'Input validation failed',
  429: 'Request was throttled',
  500: 'Internal server error',
};

/** Replicate's error body: `{title, detail, status}` (RFC 7807 style), with extras such as `invalid_fields`. */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, extra: Record<string, unknown> = {}): Response {
  return c.json({ title: TITLES[status] ?? 'Error', detail, status, ...extra }, status);
}

export const UNAUTHENTICATED_DETAIL = 'You did not pass a valid authentication token';
export const NOT_FOUND_DETAIL = 'The requested resource could not be found.';

/** The body Replicate sends with a 429, whose `~Ns` hint clients parse when there is no Retry-After. */
export function throttled(c: Context, seconds: number, sendRetryAfter: boolean): Response {
  if (sendRetryAfter) c.header('Retry-After', String(seconds));
  return c.json({ detail: `Request was throttled. Your rate limit resets in ~${seconds}s.`, status: 429 }, 429);
}
