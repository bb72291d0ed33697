/**
 * @dotbase/server — the self-hosted HTTP backend around @dotbase/core.
 *
 * @example
 * import { startServer } from '@dotbase/server';
 * const server = await startServer(); // reads the environment; http://127.0.0.1:8787
 *
 * @module @dotbase/server
 */
export { createServer, type ServerOptions } from './app.js';
export { startServer, type StartOptions, type RunningServer } from './start.js';
export { loadConfig, ConfigError, DEFAULT_LIMITS, type ServerConfig, type Limits, type ApiKey } from './config.js';
export type { Authenticator, Principal } from './auth/types.js';
export { createAuth, type AuthOptions, type Auth } from './auth/setup.js';
export { apiKeyAuthenticator } from './auth/api-keys.js';
export { anonymousAuthenticator } from './auth/anonymous.js';
export { createEmbedTokens, EMBED_TOKEN_PREFIX, type EmbedTokens } from './auth/embed-tokens.js';
export { createSessions, SESSION_COOKIE, type Sessions } from './auth/session.js';
export { createAdminPolicy, type AdminPolicy } from './auth/admins.js';
export { firstOf } from './auth/chain.js';
export { verifyLoginWidget, verifyInitData, type TelegramUser } from './auth/telegram.js';
export { verifyReplicateWebhook, type WebhookVerdict } from './webhooks/verify.js';
export { HttpError, errorResponse } from './http/errors.js';
export { buildOpenApi } from './routes/openapi.js';
export { jsonLogger, silentLogger, type Logger } from './log.js';
export type { DotbaseParts } from './context.js';
