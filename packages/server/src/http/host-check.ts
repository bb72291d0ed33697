import type { MiddlewareHandler } from 'hono';
import { isIP } from 'node:net';
import { errorResponse, HttpError } from './errors.js';

/**
 * Whether a Host header names this machine's loopback: `localhost` (and `*.localhost`, which browsers resolve to
 * loopback themselves), `127.x.x.x` or `[::1]`, with any port. A DNS name an attacker controls never does.
 */
export function isLoopbackHostHeader(host: string): boolean {
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d{1,5})?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const name = (match[1] as string).replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '[::1]') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * DNS rebinding guard for a server without authentication: a page on attacker.example whose name is made to
 * resolve to 127.0.0.1 reaches this server with `Host: attacker.example` and, being same-origin to itself, could
 * read every answer (the anonymous user is the admin). Only loopback names (and the public URL's host, when one
 * is configured) are answered; anything else gets 421 before any route runs.
 *
 * @example
 * app.use('*', loopbackHostsOnly(['dotbase.internal:8787']));
 */
export function loopbackHostsOnly(alsoAllowed: readonly string[] = []): MiddlewareHandler {
  const extra = new Set(alsoAllowed.map((host) => host.toLowerCase()));
  return async (c, next) => {
    const host = c.req.header('host');
    if (host === undefined || host.trim() === '') {
      const answer = errorResponse(new HttpError(400, 'bad_request', 'a Host header is required'));
      return c.json(answer.body, answer.status);
    }
    if (!isLoopbackHostHeader(host) && !extra.has(host.trim().toLowerCase())) {
      const shown = host.length > 100 ? `${host.slice(0, 100)}…` : host;
      const answer = errorResponse(
        new HttpError(
          421,
          'misdirected_request',
          `this server has no authentication and answers only loopback host names (localhost, 127.0.0.1, [::1]), not "${shown}"`,
        ),
      );
      return c.json(answer.body, answer.status);
    }
    await next();
  };
}
