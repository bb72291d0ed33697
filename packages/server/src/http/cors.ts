import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * CORS for the API: the page's own origin and `DOTBASE_CORS_ORIGINS`, with credentials (the session cookie) and
 * the `Authorization` header allowed. Any other origin gets no CORS headers, so browsers keep its scripts out.
 *
 * @example
 * app.use('/api/*', apiCors(['https://shop.example'], 'https://dotbase.example'));
 */
export function apiCors(allowedOrigins: readonly string[], publicOrigin: string | undefined): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  if (publicOrigin) allowed.add(publicOrigin);
  const handler = cors({
    origin: (origin, c) => (allowed.has(origin) || origin === new URL(c.req.url).origin ? origin : null),
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer'],
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
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
