import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';

/** `GET /api/health`: up, and whether it talks to Replicate or the built-in simulator. No auth. */
export function healthRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().get('/api/health', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const, mode: ctx.mode, version: ctx.version });
  });
}
