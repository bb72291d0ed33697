import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ownerIdFor } from '../auth/owner-id.js';
import type { AppEnv, ServerContext } from '../context.js';
import { BEARER_AUTHENTICATORS, rejectCrossSite } from './cross-site.js';
import { errorResponse, HttpError } from './errors.js';

/**
 * Authenticates the caller (401 when nobody is recognised), refuses cross-site state changes made with a cookie
 * or without credentials (403, see `rejectCrossSite`), and spends one request of their rate budget
 * (429 with Retry-After when it is empty). Sets `principal` and `owner` (see `ownerIdFor`); read them with
 * `c.get`, since hono's `c.var` builds a new object of every variable on each access.
 */
export function requireUser(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identified = await ctx.auth.authenticator.identify(c.req.raw);
    if (!identified) {
      throw new HttpError(401, 'unauthenticated', 'sign in, or send an API key or embed token as Authorization: Bearer <token>');
    }
    const { principal, via } = identified;
    if (!BEARER_AUTHENTICATORS.has(via)) rejectCrossSite(ctx, c);
    let verdict = ctx.limiter.take(principal.id);
    // the memory limiter answers at once; only a shared one (Redis, PostgreSQL) costs an await
    if (verdict instanceof Promise) verdict = await verdict;
    if (!verdict.ok) {
      throw new HttpError(429, 'rate_limited', `too many requests; try again in ${verdict.retryAfterSeconds} s`, {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
    c.set('principal', principal);
    c.set('owner', ownerIdFor(principal.id));
    await next();
  };
}

/** After `requireUser`: only admins pass. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('principal').is_admin) throw new HttpError(403, 'forbidden', 'this needs an admin');
  await next();
};

/**
 * Refuses bodies over `maxBytes` before they are read into memory (413). The rest of the body is never read, so
 * the connection closes: a client must not send its next request down a socket still full of this one's bytes.
 * A Content-Length is enough to decide (Node's parser never delivers more bytes than it announces), which keeps
 * the request on @hono/node-server's fast path; hono's bodyLimit, which counts a streamed body as it arrives, is
 * needed only for chunked bodies (and it turns every request into a web stream, a large share of a small request).
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = (c: Context) => {
    const answer = errorResponse(new HttpError(413, 'payload_too_large', `the request body is larger than ${maxBytes} bytes`, { details: { limit: maxBytes } }));
    return c.json(answer.body, answer.status, { ...answer.headers, Connection: 'close' });
  };
  const counting = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxBytes) return tooLarge(c);
      await next();
      return;
    }
    return counting(c, next);
  };
}
