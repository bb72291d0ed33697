import type { Context } from 'hono';
import type { ServerContext } from '../context.js';

/**
 * The absolute base under which this app's URLs live: `DOTBASE_PUBLIC_URL` when set (it is what the outside
 * world uses behind proxies), else the request's own origin plus the path the app is mounted under.
 */
export function baseUrlFor(ctx: Pick<ServerContext, 'publicUrl' | 'basePath'>, c: Context): string {
  return ctx.publicUrl ?? `${new URL(c.req.url).origin}${ctx.basePath}`;
}
