import type { ApiKey } from '../config.js';
import { createAdminPolicy } from './admins.js';
import { anonymousAuthenticator } from './anonymous.js';
import { apiKeyAuthenticator } from './api-keys.js';
import { firstOf } from './chain.js';
import { createEmbedTokens } from './embed-tokens.js';
import { createSessions } from './session.js';
import type { Authenticator } from './types.js';

export interface AuthOptions {
  /** Signs sessions and embed tokens. */
  secret: string;
  apiKeys?: ApiKey[];
  telegram?: { botToken: string; allowedUsernames: string[]; botUsername?: string };
  /** See `createAdminPolicy`. */
  admins?: string[];
  /** Your own ways of signing in (an OAuth session, a header set by your proxy), tried after the built-in ones. */
  authenticators?: Authenticator[];
  /** Everyone is the admin user `local`. Only for loopback; `startServer` enforces that. */
  anonymous?: boolean;
}

/**
 * Builds the server's authenticators from its options: embed tokens and API keys (Bearer), Telegram sessions
 * (cookie), your own, and, when asked, anonymous access, in that order.
 */
export function createAuth(options: AuthOptions) {
  const admins = createAdminPolicy(options.admins ?? []);
  const apiKeys = apiKeyAuthenticator(options.apiKeys ?? [], admins);
  const embed = createEmbedTokens(options.secret);
  const sessions = options.telegram
    ? createSessions({ secret: options.secret, allowedUsernames: options.telegram.allowedUsernames, admins })
    : undefined;
  const chain: Authenticator[] = [embed.authenticator, apiKeys];
  if (sessions) chain.push(sessions.authenticator);
  chain.push(...(options.authenticators ?? []));
  if (options.anonymous) chain.push(anonymousAuthenticator());
  return {
    authenticator: firstOf(chain),
    admins,
    apiKeys,
    embed,
    sessions,
    telegram: options.telegram,
    /** Whether API keys are configured (the sign-in hints on the page say how access works). */
    hasApiKeys: (options.apiKeys ?? []).length > 0,
    anonymous: options.anonymous ?? false,
  };
}

export type Auth = ReturnType<typeof createAuth>;
