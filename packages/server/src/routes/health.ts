import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';

/** How a person can get in, for a page to offer the right control (or explain) before anyone has signed in. */
function signIn(ctx: ServerContext) {
  const telegram = ctx.auth.telegram;
  return {
    // The bot id is the public half of the token (it is in every Login Widget URL); the secret half never leaves.
    telegram: telegram ? { bot_id: Number(telegram.botToken.slice(0, telegram.botToken.indexOf(':'))), bot_username: telegram.botUsername ?? null } : null,
    api_keys: ctx.auth.hasApiKeys,
    anonymous: ctx.auth.anonymous,
  };
}

/**
 * `GET /api/health`: up, whether it talks to Replicate or the built-in simulator, the limits a client can check
 * before sending (upload size, prompt length), and the ways to sign in. No auth; nothing secret.
 */
export function healthRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().get('/api/health', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({
      status: 'ok' as const,
      mode: ctx.mode,
      version: ctx.version,
      limits: { max_upload_bytes: ctx.limits.maxUploadBytes, max_prompt_length: ctx.limits.maxPromptLength },
      sign_in: signIn(ctx),
    });
  });
}
