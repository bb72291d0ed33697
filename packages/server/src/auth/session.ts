import { randomBytes } from 'node:crypto';
import type { AdminPolicy } from './admins.js';
import type { Marks } from './marks.js';
import { createSigner } from './signing.js';
import { isAllowedUsername } from './telegram.js';
import type { Authenticator, Principal } from './types.js';

export const SESSION_COOKIE = 'dotbase_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

export function cookieValue(request: Request, name: string): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Sessions of users who signed in with Telegram: a cookie signed with `DOTBASE_SECRET`, carrying a random session
 * id. The allowlist is checked again on every request, so removing a username from `TELEGRAM_ALLOWED_USERNAMES`
 * locks them out at once; logging out puts the session id on a revocation list kept until the session would have
 * expired, so a copied cookie stops working too. Cookies without a session id (made before there were any) are
 * refused: they could not be revoked.
 *
 * @example
 * const sessions = createSessions({ secret, allowedUsernames: ['alice'], admins, revoked });
 * const cookie = sessions.issue({ id: 'telegram:42', username: 'alice' });
 */
export function createSessions(options: {
  secret: string;
  allowedUsernames: readonly string[];
  admins: AdminPolicy;
  revoked: Marks;
  now?: () => number;
}) {
  const signer = createSigner(options.secret, 'session');
  const now = options.now ?? Date.now;

  /** The session's payload when the cookie is signed by us and not expired, revoked or off the allowlist. */
  async function verify(request: Request): Promise<{ sid: string; sub: string; username: string; exp: number } | null> {
    const raw = cookieValue(request, SESSION_COOKIE);
    if (raw === null) return null;
    let token: string;
    try {
      token = decodeURIComponent(raw);
    } catch {
      return null;
    }
    const payload = signer.verify(token);
    if (!payload) return null;
    const { sid, sub, username, exp } = payload;
    if (typeof sid !== 'string' || typeof sub !== 'string' || typeof username !== 'string' || typeof exp !== 'number') return null;
    if (!/^[A-Za-z0-9_-]{22,64}$/.test(sid) || !/^telegram:[1-9]\d{0,19}$/.test(sub)) return null;
    if (exp * 1000 <= now()) return null;
    if (!isAllowedUsername(username, options.allowedUsernames)) return null;
    if (await options.revoked.has(sid)) return null;
    return { sid, sub, username, exp };
  }

  const authenticator: Authenticator = {
    name: 'telegram-session',
    async authenticate(request): Promise<Principal | null> {
      const session = await verify(request);
      if (!session) return null;
      const { sub, username } = session;
      return { id: sub, username, is_admin: options.admins.isAdmin({ id: sub, username, via: 'telegram' }) };
    },
  };

  return {
    authenticator,
    /** A signed session token for the cookie, and when it expires (epoch s). */
    issue(user: { id: string; username: string }): { token: string; maxAge: number } {
      const exp = Math.floor(now() / 1000) + SESSION_TTL_SECONDS;
      const sid = randomBytes(18).toString('base64url');
      return { token: signer.sign({ sid, sub: user.id, username: user.username, exp }), maxAge: SESSION_TTL_SECONDS };
    },
    /** Ends the request's session for good, wherever its cookie has been copied to. No session: nothing to do. */
    async revoke(request: Request): Promise<boolean> {
      const session = await verify(request);
      if (!session) return false;
      await options.revoked.add(session.sid, session.exp * 1000);
      return true;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
