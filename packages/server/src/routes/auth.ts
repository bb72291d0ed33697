import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { bearerToken } from '../auth/bearer.js';
import { SESSION_COOKIE } from '../auth/session.js';
import { createHash } from 'node:crypto';
import { telegramPrincipalId } from '../auth/principal-ids.js';
import { isAllowedUsername, usableUntil, verifyInitData, verifyLoginWidget } from '../auth/telegram.js';
import type { AppEnv, ServerContext } from '../context.js';
import { rejectCrossSite } from '../http/cross-site.js';
import { HttpError } from '../http/errors.js';
import { limitBody, requireUser } from '../http/guards.js';
import { parseWith, readJson } from '../http/validate.js';
import { embedTokenBodySchema, telegramBodySchema } from '../schemas.js';

/** Secure cookies only travel over https; behind a TLS proxy the public URL tells us what the browser sees. */
function isHttps(ctx: ServerContext, c: Context): boolean {
  return (ctx.publicUrl ?? c.req.url).startsWith('https:');
}

/**
 * Sign-in: Telegram (Login Widget or Mini App) sets a session cookie; `me` and `logout`; and embed tokens for
 * third-party pages, minted by a backend with its API key.
 */
export function authRoutes(ctx: ServerContext) {
  const cookiePath = ctx.basePath || '/';

  return new Hono<AppEnv>()
    .post('/api/auth/telegram', limitBody(ctx.limits.maxJsonBytes), async (c) => {
      const { sessions, telegram } = ctx.auth;
      if (!sessions || !telegram) throw new HttpError(404, 'not_found', 'Telegram sign-in is not configured on this server');
      // no page elsewhere may sign a browser in to an account of its choosing (login CSRF)
      rejectCrossSite(ctx, c);
      const body = parseWith(telegramBodySchema, await readJson(c));
      const window = ctx.auth.telegramMaxAgeSeconds;
      const user =
        'init_data' in body ? verifyInitData(body.init_data, telegram.botToken, Date.now(), window) : verifyLoginWidget(body, telegram.botToken, Date.now(), window);
      if (!user) throw new HttpError(401, 'invalid_signature', `the Telegram sign-in data is not signed by this bot, or is older than ${window} seconds`);
      const id = telegramPrincipalId(user.id);
      if (id === null) throw new HttpError(401, 'invalid_signature', 'the Telegram sign-in data has no valid user id');
      if (!user.username || !isAllowedUsername(user.username, telegram.allowedUsernames)) {
        ctx.logger.warn('telegram sign-in refused: not on the allowlist', { telegram_id: user.id });
        throw new HttpError(403, 'forbidden', 'this Telegram account is not allowed here');
      }
      // Each signed payload signs in once: a copy (from a log, a proxy, the browser's history) is worth nothing.
      const proof = createHash('sha256').update(user.hash).digest('hex');
      if (!(await ctx.auth.telegramUsed.addOnce(proof, usableUntil(user.auth_date, window)))) {
        throw new HttpError(401, 'replayed', 'this Telegram sign-in data was already used; sign in with Telegram again');
      }
      const { token, maxAge } = sessions.issue({ id, username: user.username });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: isHttps(ctx, c), path: cookiePath, maxAge });
      ctx.logger.info('telegram sign-in', { user: id });
      return c.json({ user: { id, username: user.username }, is_admin: ctx.auth.admins.isAdmin({ id, username: user.username, via: 'telegram' }) });
    })
    .get('/api/auth/me', requireUser(ctx), (c) => {
      const { id, username, is_admin } = c.get('principal');
      return c.json({ user: { id, ...(username ? { username } : {}) }, is_admin });
    })
    .post('/api/auth/logout', async (c) => {
      // The session id goes on the revocation list: the cookie stops working everywhere, not just in this browser.
      rejectCrossSite(ctx, c);
      if (ctx.auth.sessions) await ctx.auth.sessions.revoke(c.req.raw);
      deleteCookie(c, SESSION_COOKIE, { path: cookiePath, secure: isHttps(ctx, c) });
      return c.body(null, 204);
    })
    .post('/api/auth/embed-tokens', requireUser(ctx), limitBody(ctx.limits.maxJsonBytes), async (c) => {
      // Only a backend holding an API key mints tokens: a session or another embed token must not multiply itself.
      const key = bearerToken(c.req.raw);
      const minter = key === null ? null : ctx.auth.apiKeys.userForKey(key);
      if (minter === null) throw new HttpError(403, 'forbidden', 'minting embed tokens needs an API key (Authorization: Bearer <key>)');
      const body = parseWith(embedTokenBodySchema, await readJson(c));
      return c.json(ctx.auth.embed.issue({ minter, ...body }), 201);
    });
}
