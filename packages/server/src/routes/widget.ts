import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { HttpError } from '../http/errors.js';

const BUNDLES = {
  '/widget.js': 'dotbase-studio.iife.js',
  '/widget.mjs': 'dotbase-studio.js',
  // the admin dashboard, which the studio imports from beside its own script when an admin opens it
  '/dotbase-admin.js': 'dotbase-admin.js',
} as const;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The page at `/`: the product itself, the widget talking to this same server. The widget tells users itself when
 * the server runs the simulator (it reads `/api/health`), offers sign-in, and switches language (`language-switch`).
 * The page follows the widget's theme (`auto`: the system's), so a dark studio never sits on a light page.
 */
export function homePage(basePath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dotbase</title>
<link rel="icon" href="data:,">
<meta name="color-scheme" content="light dark">
<style>body{margin:0;padding:24px;font-family:system-ui,sans-serif;background:#f4f5f8}main{max-width:1100px;margin:0 auto}@media (prefers-color-scheme:dark){body{background:#0b0d12}}@media (max-width:480px){body{padding:0}}</style>
<script src="${escapeAttribute(basePath)}/widget.js"></script>
</head>
<body>
<main>
<dotbase-studio endpoint="${escapeAttribute(basePath)}" language-switch></dotbase-studio>
</main>
</body>
</html>`;
}

/**
 * `/` (the page), `/widget.js` (one classic script), `/widget.mjs` (ES module) and `/dotbase-admin.js` (the admin
 * dashboard, loaded by the studio for admins only), from the widget's build
 * output. Read on each request, so a rebuild shows up without a restart; the ETag spares the transfer.
 */
export function widgetRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>().get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(homePage(ctx.basePath));
  });
  for (const [path, file] of Object.entries(BUNDLES)) {
    app.get(path, async (c) => {
      const bytes = ctx.widgetDir ? await readFile(join(ctx.widgetDir, file)).catch(() => null) : null;
      if (!bytes) {
        throw new HttpError(404, 'widget_not_built', 'the widget is not built: run `pnpm --filter @dotbase/widget build` (pnpm start does it for you)');
      }
      const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
      // public code, no credentials: any page may load it, and browsers fetch ES modules with CORS
      const headers = { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', ETag: etag, 'Access-Control-Allow-Origin': '*' };
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
      return c.body(new Uint8Array(bytes), 200, headers);
    });
  }
  return app;
}
