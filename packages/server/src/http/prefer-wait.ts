import { HttpError } from './errors.js';

/** Replicate's sync mode holds a create for at most this long; dotbase's `Prefer: wait` follows it. */
export const MAX_WAIT_SECONDS = 60;

/**
 * Reads `Prefer: wait` or `Prefer: wait=<seconds>` (RFC 7240, as Replicate's sync mode does): how long the caller
 * wants the create to hold its answer for the finished generation. Undefined when it did not ask; a bare `wait`
 * means the longest wait. Other preferences are ignored, as RFC 7240 says; a wait that is not 1–60 whole seconds
 * is refused with a 400 rather than silently changed, so a caller is never surprised by an early answer.
 */
export function preferredWaitSeconds(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  for (const preference of header.split(',')) {
    const [token = '', ...rest] = preference.split(';')[0]!.split('=');
    if (token.trim().toLowerCase() !== 'wait') continue;
    if (rest.length === 0) return MAX_WAIT_SECONDS;
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    const seconds = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
    if (!(seconds >= 1 && seconds <= MAX_WAIT_SECONDS)) {
      throw new HttpError(400, 'invalid_header', `Prefer: wait must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}, got ${JSON.stringify(value.slice(0, 40))}`, {
        details: { header: 'prefer' },
      });
    }
    return seconds;
  }
  return undefined;
}
