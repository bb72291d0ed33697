import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * CORS for the API: `DOTBASE_CORS_ORIGINS` and the public URL's origin, with credentials (the session cookie) and
 * the `Authorization` header allowed. Any other origin gets no CORS headers, so browsers keep its scripts out.
 * The origin a request claims to be for (its Host) is never reflected: under DNS rebinding an attacker's page has
 * that very origin. Pages served by this server need no CORS headers: their requests are same-origin.
 *
 * @example
 * app.use('/api/*', apiCors(['https://shop.example'], 'https://dotbase.example'));
 */
export function apiCors(allowedOrigins: readonly string[], publicOrigin: string | undefined): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  if (publicOrigin) allowed.add(publicOrigin);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['Retry-After', 'Idempotent-Replayed', 'Preference-Applied'],
    maxAge: 600,
  });
  // Without an Origin header (server-to-server calls, same-origin GETs) there is nothing to decide, and the cors
  // middleware would rebuild every response to add headers; only say that answers vary by Origin.
  return async (c, next) => {
    if (c.req.header('origin') === undefined) {
      c.header('Vary', 'Origin', { append: true });
      return next();
    }
    return handler(c, next);
  };
}

/**
 * Stored files are capability URLs (unguessable keys) that carry no cookies: any page may read them, e.g. to
 * download an output with fetch.
 */
export const filesCors: MiddlewareHandler = cors({ origin: '*', allowMethods: ['GET', 'HEAD'] });
