import type { Authenticator, Principal } from './types.js';

/** A recognised caller and the authenticator that recognised them. */
export interface Identified {
  principal: Principal;
  via: string;
}

/**
 * Tries authenticators in order and takes the first principal. One that throws (it must not) counts as "not
 * recognised", so a bug in one way of signing in cannot open or break the others. `identify` also says which one
 * answered: credentials a browser sends by itself (a cookie, or none at all) need cross-site checks that a
 * Bearer token does not.
 *
 * @example
 * const auth = firstOf([embed.authenticator, apiKeys, sessions.authenticator]);
 */
export function firstOf(authenticators: readonly Authenticator[]): Authenticator & { identify(request: Request): Promise<Identified | null> } {
  async function identify(request: Request): Promise<Identified | null> {
    for (const authenticator of authenticators) {
      const principal = await authenticator.authenticate(request).catch(() => null);
      if (principal) return { principal, via: authenticator.name };
    }
    return null;
  }
  return {
    name: authenticators.map((a) => a.name).join('|') || 'nobody',
    identify,
    async authenticate(request) {
      return (await identify(request))?.principal ?? null;
    },
  };
}
