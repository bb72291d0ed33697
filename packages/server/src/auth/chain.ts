import type { Authenticator } from './types.js';

/**
 * Tries authenticators in order and takes the first principal. One that throws (it must not) counts as "not
 * recognised", so a bug in one way of signing in cannot open or break the others.
 *
 * @example
 * const auth = firstOf([embed.authenticator, apiKeys, sessions.authenticator]);
 */
export function firstOf(authenticators: readonly Authenticator[]): Authenticator {
  return {
    name: authenticators.map((a) => a.name).join('|') || 'nobody',
    async authenticate(request) {
      for (const authenticator of authenticators) {
        const principal = await authenticator.authenticate(request).catch(() => null);
        if (principal) return principal;
      }
      return null;
    },
  };
}
