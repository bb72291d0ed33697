import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { requireUser } from '../http/guards.js';
import { parseWith } from '../http/validate.js';
import { modelsQuerySchema } from '../schemas.js';

/** `GET /api/models/list?action=edit`: the registry's models with their settings as JSON Schema. */
export function modelRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().get('/api/models/list', requireUser(ctx), (c) => {
    const { action } = parseWith(modelsQuerySchema, c.req.query());
    return c.json({ items: ctx.dotbase.registry.summaries(action) });
  });
}
