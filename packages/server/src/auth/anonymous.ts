import type { Authenticator, Principal } from './types.js';

const LOCAL: Principal = { id: 'local', username: 'local', is_admin: true };

/**
 * No authentication: every request is the admin user `local`. The server only allows this while it listens on
 * loopback (or when `DOTBASE_ALLOW_UNAUTHENTICATED=true`), see `loadConfig`.
 */
export function anonymousAuthenticator(): Authenticator {
  return {
    name: 'none',
    async authenticate() {
      return { ...LOCAL };
    },
  };
}
