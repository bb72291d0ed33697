import type { Context } from 'hono';
import type { ServerContext } from '../context.js';
import { HttpError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header is this server itself (by the Host it was asked under), its public URL, or listed. */
export function isTrustedOrigin(ctx: ServerContext, origin: string, host: string | undefined): boolean {
  if (ctx.corsOrigins.includes(origin)) return true;
  if (ctx.publicUrl && new URL(ctx.publicUrl).origin === origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  // The scheme is left out on purpose: behind a TLS proxy the browser's origin is https while we see http.
  return host !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === host.trim().toLowerCase();
}

/**
 * CSRF guard for credentials a browser attaches by itself: the session cookie, and "no credentials" on a server
 * without authentication. A state change (any method but GET, HEAD, OPTIONS: JSON, multipart, bodyless POST,
 * DELETE) must come from a trusted origin; browsers always send `Origin` on those, and `Sec-Fetch-Site` tells a
 * cross-site request apart when a privacy setting drops the Origin. Requests with neither are not from a browser
 * (curl, a backend) and carry no ambient authority to abuse. Bearer tokens need none of this: a page cannot make
 * a browser send one.
 *
 * @example
 * if (via === 'telegram-session') rejectCrossSite(ctx, c);
 */
export function rejectCrossSite(ctx: ServerContext, c: Context): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (!isTrustedOrigin(ctx, origin, c.req.header('host'))) {
      throw new HttpError(403, 'cross_site_request', `a request from ${origin.length > 100 ? `${origin.slice(0, 100)}…` : origin} may not change anything here: that origin is not this server nor listed in DOTBASE_CORS_ORIGINS`);
    }
    return;
  }
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'cross_site_request', `a ${site} request may not change anything here`);
  }
}

/** Authenticators whose credential a page cannot make a browser send: no cross-site check needed. */
export const BEARER_AUTHENTICATORS: ReadonlySet<string> = new Set(['api-key', 'embed-token']);
