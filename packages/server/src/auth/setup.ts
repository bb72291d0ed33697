import { prefixStorage, type Storage } from 'unstorage';
import type { ApiKey } from '../config.js';
import { createAdminPolicy } from './admins.js';
import { anonymousAuthenticator } from './anonymous.js';
import { apiKeyAuthenticator } from './api-keys.js';
import { firstOf } from './chain.js';
import { createEmbedTokens } from './embed-tokens.js';
import { isStrongSecret, MIN_SECRET_LENGTH } from './entropy.js';
import { createMarks } from './marks.js';
import { isBuiltInId, isReservedUserName } from './principal-ids.js';
import { createSessions } from './session.js';
import { MAX_AUTH_AGE_SECONDS } from './telegram.js';
import type { Authenticator } from './types.js';

export interface AuthOptions {
  /** Signs sessions and embed tokens. */
  secret: string;
  apiKeys?: ApiKey[];
  /**
   * `maxAgeSeconds`: how long Telegram's signed sign-in data is accepted (default 600); each is accepted once.
   * `botUsername` (no `@`) lets the page show the Telegram Login Widget.
   */
  telegram?: { botToken: string; allowedUsernames: string[]; maxAgeSeconds?: number; botUsername?: string };
  /** See `createAdminPolicy`. */
  admins?: string[];
  /** Your own ways of signing in (an OAuth session, a header set by your proxy), tried after the built-in ones. */
  authenticators?: Authenticator[];
  /** Everyone is the admin user `local`. Only for loopback; `startServer` enforces that. */
  anonymous?: boolean;
}

/**
 * Your own authenticators may not hand out the built-in ids (`local`, `telegram:…`, `<api-key user>…`): a principal
 * with one is refused, so nobody signed in your way can become someone signed in another way.
 */
function ownNamespace(authenticator: Authenticator, apiKeyUsers: ReadonlySet<string>): Authenticator {
  return {
    // renamed, so one of yours can never pass for a built-in Bearer authenticator (which skips cross-site checks)
    name: `custom:${authenticator.name}`,
    async authenticate(request) {
      const principal = await authenticator.authenticate(request);
      return principal && !isBuiltInId(principal.id, apiKeyUsers) ? principal : null;
    },
  };
}

/**
 * Builds the server's authenticators from its options: embed tokens and API keys (Bearer), Telegram sessions
 * (cookie), your own, and, when asked, anonymous access, in that order. `storage` keeps revoked sessions and used
 * Telegram sign-ins (the server passes its own prefix of the dotbase storage).
 */
export function createAuth(options: AuthOptions, storage: Storage) {
  if (!isStrongSecret(options.secret)) {
    throw new Error(`auth.secret must be at least 32 random bytes (${MIN_SECRET_LENGTH}+ characters, e.g. openssl rand -base64 32): it signs sessions and embed tokens`);
  }
  const reserved = (options.apiKeys ?? []).find(({ user }) => isReservedUserName(user) || !/^[A-Za-z0-9_.@-]{1,64}$/.test(user));
  if (reserved) throw new Error(`auth.apiKeys: the user name "${reserved.user}" is reserved or not letters, digits, _ . @ -`);
  const apiKeyUsers = new Set((options.apiKeys ?? []).map(({ user }) => user));
  const admins = createAdminPolicy(options.admins ?? []);
  const apiKeys = apiKeyAuthenticator(options.apiKeys ?? [], admins);
  const embed = createEmbedTokens(options.secret, { minters: apiKeyUsers });
  const sessions = options.telegram
    ? createSessions({
        secret: options.secret,
        allowedUsernames: options.telegram.allowedUsernames,
        admins,
        revoked: createMarks(prefixStorage(storage, 'revoked-sessions')),
      })
    : undefined;
  const chain: Authenticator[] = [embed.authenticator, apiKeys];
  if (sessions) chain.push(sessions.authenticator);
  chain.push(...(options.authenticators ?? []).map((authenticator) => ownNamespace(authenticator, apiKeyUsers)));
  if (options.anonymous) chain.push(anonymousAuthenticator());
  return {
    authenticator: firstOf(chain),
    /** Sign-ins with Telegram data already used (kept as digests until the data is too old anyway). */
    telegramUsed: createMarks(prefixStorage(storage, 'telegram-used')),
    telegramMaxAgeSeconds: options.telegram?.maxAgeSeconds ?? MAX_AUTH_AGE_SECONDS,
    admins,
    apiKeys,
    /** Names of the API-key users: the only ones that mint embed tokens. */
    apiKeyUsers: apiKeyUsers as ReadonlySet<string>,
    embed,
    sessions,
    telegram: options.telegram,
    /** Whether API keys are configured (the sign-in hints on the page say how access works). */
    hasApiKeys: (options.apiKeys ?? []).length > 0,
    anonymous: options.anonymous ?? false,
  };
}

export type Auth = ReturnType<typeof createAuth>;
