import type { AdminPolicy } from './admins.js';
import { createSigner } from './signing.js';
import { isAllowedUsername } from './telegram.js';
import type { Authenticator, Principal } from './types.js';

export const SESSION_COOKIE = 'dotbase_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

function cookieValue(request: Request, name: string): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Sessions of users who signed in with Telegram: a cookie signed with `DOTBASE_SECRET`. The allowlist is checked
 * again on every request, so removing a username from `TELEGRAM_ALLOWED_USERNAMES` locks them out at once.
 *
 * @example
 * const sessions = createSessions({ secret, allowedUsernames: ['alice'], admins });
 * const cookie = sessions.issue({ id: 'telegram:42', username: 'alice' });
 */
export function createSessions(options: { secret: string; allowedUsernames: readonly string[]; admins: AdminPolicy; now?: () => number }) {
  const signer = createSigner(options.secret, 'session');
  const now = options.now ?? Date.now;

  const authenticator: Authenticator = {
    name: 'telegram-session',
    async authenticate(request): Promise<Principal | null> {
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
      const { sub, username, exp } = payload;
      if (typeof sub !== 'string' || typeof username !== 'string' || typeof exp !== 'number') return null;
      if (exp * 1000 <= now()) return null;
      if (!isAllowedUsername(username, options.allowedUsernames)) return null;
      return { id: sub, username, is_admin: options.admins.isAdmin({ id: sub, username, via: 'telegram' }) };
    },
  };

  return {
    authenticator,
    /** A signed session token for the cookie, and when it expires (epoch s). */
    issue(user: { id: string; username: string }): { token: string; maxAge: number } {
      const exp = Math.floor(now() / 1000) + SESSION_TTL_SECONDS;
      return { token: signer.sign({ sub: user.id, username: user.username, exp }), maxAge: SESSION_TTL_SECONDS };
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
