import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { requireUser } from '../http/guards.js';

/**
 * The caller's signing secret for the webhooks dotbase sends them (Replicate's `/v1/webhooks/default/secret`):
 * `GET /api/webhooks/secret` → `{ key: "whsec_…" }`, made on first use; `POST /api/webhooks/secret/rotate` replaces
 * it (deliveries from then on, retries included, are signed with the new one).
 */
export function outgoingWebhookRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>()
    .use('/api/webhooks/secret', requireUser(ctx))
    .use('/api/webhooks/secret/rotate', requireUser(ctx))
    .get('/api/webhooks/secret', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ key: await ctx.webhooks.secrets.get(c.get('owner')) });
    })
    .post('/api/webhooks/secret/rotate', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ key: await ctx.webhooks.secrets.rotate(c.get('owner')) });
    });
}
