import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../config.js';
import type { AdminPolicy } from './admins.js';
import { bearerToken } from './bearer.js';
import type { Authenticator, Principal } from './types.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Server-to-server access: `Authorization: Bearer <key>` with a key from `DOTBASE_API_KEYS`. Keys are compared
 * as SHA-256 digests (equal length) in constant time, and every key is compared, so timing reveals nothing.
 *
 * @example
 * const auth = apiKeyAuthenticator([{ user: 'backend', key: process.env.KEY! }], createAdminPolicy([]));
 */
export function apiKeyAuthenticator(keys: readonly ApiKey[], admins: AdminPolicy): Authenticator & { userForKey(key: string): string | null } {
  const entries = keys.map(({ user, key }) => ({ user, digest: digest(key) }));

  function userForKey(key: string): string | null {
    const presented = digest(key);
    let found: string | null = null;
    for (const entry of entries) {
      if (timingSafeEqual(presented, entry.digest) && found === null) found = entry.user;
    }
    return found;
  }

  return {
    name: 'api-key',
    userForKey,
    async authenticate(request): Promise<Principal | null> {
      const token = bearerToken(request);
      if (token === null) return null;
      const user = userForKey(token);
      return user === null ? null : { id: user, username: user, is_admin: admins.isAdmin({ id: user, username: user, via: 'api-key' }) };
    },
  };
}
