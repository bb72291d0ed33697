import type { TokenStats } from '@dotbase/core';
import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { limitBody, requireAdmin, requireUser } from '../http/guards.js';
import { parseWith, readJson } from '../http/validate.js';
import { adminUsersQuerySchema, statsQuerySchema, tokenPatchBodySchema, type TOKEN_STATUSES } from '../schemas.js';

/** One word for what a token is doing now, so a dashboard need not compare the server's clock with its own. */
function tokenStatus(stats: TokenStats, now: number): (typeof TOKEN_STATUSES)[number] {
  if (!stats.is_active) return 'disabled';
  if (stats.cooldown_until !== null && stats.cooldown_until > now) return 'cooling';
  return stats.in_flight > 0 ? 'busy' : 'ready';
}

/**
 * The operator's view: the token pool (ids derived from digests, never the tokens), switching a token off and
 * on, generation statistics by action and status, the dashboard's activity report and the users with their counts.
 */
export function adminRoutes(ctx: ServerContext) {
  const guards = [requireUser(ctx), requireAdmin] as const;
  const tokenRows = async () => {
    const now = Date.now();
    return (await ctx.dotbase.pool.stats()).map((stats) => ({ ...stats, status: tokenStatus(stats, now) }));
  };
  return new Hono<AppEnv>()
    .get('/api/admin/tokens', ...guards, async (c) => c.json({ items: await tokenRows() }))
    .patch('/api/admin/tokens/:id', ...guards, limitBody(ctx.limits.maxJsonBytes), async (c) => {
      const { is_active } = parseWith(tokenPatchBodySchema, await readJson(c));
      const id = c.req.param('id');
      await ctx.dotbase.pool.setActive(id, is_active);
      ctx.logger.info(is_active ? 'token enabled' : 'token disabled', { token_id: id, by: c.get('principal').id });
      const row = (await tokenRows()).find((stats) => stats.id === id);
      return c.json(row ?? { id, is_active });
    })
    .get('/api/admin/stats', ...guards, async (c) => {
      const { hours } = parseWith(statsQuerySchema, c.req.query());
      const windowMs = hours * 60 * 60 * 1000;
      const items = await ctx.dotbase.service.stats(windowMs);
      return c.json({ since: Date.now() - windowMs, items });
    })
    .get('/api/admin/activity', ...guards, async (c) => {
      const { hours } = parseWith(statsQuerySchema, c.req.query());
      const now = Date.now();
      const report = await ctx.dotbase.store.activity(now - hours * 60 * 60 * 1000);
      return c.json({ ...report, now });
    })
    .get('/api/admin/users', ...guards, async (c) => {
      const { limit } = parseWith(adminUsersQuerySchema, c.req.query());
      const users = await ctx.dotbase.store.users();
      return c.json({ items: users.slice(0, limit), total: users.length });
    });
}
