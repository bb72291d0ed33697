import { HttpError } from '../http/errors.js';
import { bearerToken } from './bearer.js';
import { isReservedUserName } from './principal-ids.js';
import { createSigner } from './signing.js';
import type { Authenticator, Principal } from './types.js';

/** Embed tokens start with this, so they are never mistaken for (or compared against) API keys. */
export const EMBED_TOKEN_PREFIX = 'dbe_';
export const DEFAULT_EMBED_TTL_SECONDS = 15 * 60;
export const MAX_EMBED_TTL_SECONDS = 24 * 60 * 60;

export interface EmbedTokenRequest {
  /** The API-key user minting the token; the end user's id is namespaced under it. */
  minter: string;
  user_id: string;
  origins: string[];
  ttl_seconds?: number;
}

/**
 * Short-lived signed tokens for third-party pages: a backend holding an API key mints one per end user, the
 * widget sends it as a Bearer token, and it works only from the page origins it was minted for. The end user
 * becomes `<minter>:<user_id>`, so two backends can never see each other's users.
 *
 * @example
 * const embed = createEmbedTokens(secret, { minters: new Set(['shop']) });
 * const { token } = embed.issue({ minter: 'shop', user_id: 'u-17', origins: ['https://shop.example'] });
 */
export function createEmbedTokens(secret: string, options: { minters: ReadonlySet<string>; now?: () => number }) {
  const signer = createSigner(secret, 'embed');
  const now = options.now ?? Date.now;

  const authenticator: Authenticator = {
    name: 'embed-token',
    async authenticate(request): Promise<Principal | null> {
      const token = bearerToken(request);
      if (token === null || !token.startsWith(EMBED_TOKEN_PREFIX)) return null;
      const payload = signer.verify(token.slice(EMBED_TOKEN_PREFIX.length));
      if (!payload) return null;
      const { sub, min, origins, exp } = payload;
      if (typeof sub !== 'string' || typeof min !== 'string' || typeof exp !== 'number' || !Array.isArray(origins)) return null;
      // The end user must live under its minter's prefix, and the minter must still hold an API key: a token can
      // never name a Telegram user or another backend's user, and removing a key ends the tokens it minted.
      if (!options.minters.has(min) || isReservedUserName(min) || !sub.startsWith(`${min}:`) || sub.length === min.length + 1) return null;
      if (exp * 1000 <= now()) return null;
      // The Origin header is set by the browser and cannot be forged by page scripts: it binds the token to the page.
      const origin = request.headers.get('origin');
      if (origin === null || !origins.includes(origin)) return null;
      return { id: sub, username: sub.slice(min.length + 1), is_admin: false, minter: min };
    },
  };

  return {
    authenticator,
    issue(request: EmbedTokenRequest): { token: string; expires_at: number } {
      const ttl = request.ttl_seconds ?? DEFAULT_EMBED_TTL_SECONDS;
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_EMBED_TTL_SECONDS) {
        throw new HttpError(422, 'invalid_input', `ttl_seconds: must be a whole number from 1 to ${MAX_EMBED_TTL_SECONDS}`);
      }
      const exp = Math.floor(now() / 1000) + ttl;
      if (isReservedUserName(request.minter) || request.minter.includes(':')) {
        throw new HttpError(403, 'forbidden', `the API-key user "${request.minter}" may not mint embed tokens: its name is reserved`);
      }
      const token = EMBED_TOKEN_PREFIX + signer.sign({ sub: `${request.minter}:${request.user_id}`, min: request.minter, origins: request.origins, exp });
      return { token, expires_at: exp * 1000 };
    },
  };
}

export type EmbedTokens = ReturnType<typeof createEmbedTokens>;
