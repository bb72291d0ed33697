import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { limitBody, requireAdmin, requireUser } from '../http/guards.js';
import { parseWith, readJson } from '../http/validate.js';
import { statsQuerySchema, tokenPatchBodySchema } from '../schemas.js';

/**
 * The operator's view: the token pool (ids derived from digests, never the tokens), switching a token off and
 * on, and generation statistics by action and status.
 */
export function adminRoutes(ctx: ServerContext) {
  const guards = [requireUser(ctx), requireAdmin] as const;
  return new Hono<AppEnv>()
    .get('/api/admin/tokens', ...guards, async (c) => c.json({ items: await ctx.dotbase.pool.stats() }))
    .patch('/api/admin/tokens/:id', ...guards, limitBody(ctx.limits.maxJsonBytes), async (c) => {
      const { is_active } = parseWith(tokenPatchBodySchema, await readJson(c));
      const id = c.req.param('id');
      await ctx.dotbase.pool.setActive(id, is_active);
      ctx.logger.info(is_active ? 'token enabled' : 'token disabled', { token_id: id, by: c.get('principal').id });
      const row = (await ctx.dotbase.pool.stats()).find((stats) => stats.id === id);
      return c.json(row ?? { id, is_active });
    })
    .get('/api/admin/stats', ...guards, async (c) => {
      const { hours } = parseWith(statsQuerySchema, c.req.query());
      const windowMs = hours * 60 * 60 * 1000;
      const items = await ctx.dotbase.service.stats(windowMs);
      return c.json({ since: Date.now() - windowMs, items });
    });
}
