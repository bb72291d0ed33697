import { isBlobRef } from '@dotbase/core';
import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { filesCors } from '../http/cors.js';
import { HttpError } from '../http/errors.js';

/**
 * `GET /files/<key>`: stored uploads and outputs. A key never changes its bytes, so the answer is cached for a
 * year as immutable and the key itself is the ETag. Keys are unguessable, which is what guards them.
 */
export function fileRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().use('/files/*', filesCors).get('/files/*', async (c) => {
    const path = new URL(c.req.url).pathname;
    // Keys use only URL-safe characters, so the raw path is the key; anything else is not one of ours.
    const key = path.slice(path.indexOf('/files/') + '/files/'.length);
    if (!isBlobRef(key)) throw new HttpError(404, 'not_found', 'no such file');
    const etag = `"${key.slice(key.lastIndexOf('/') + 1)}"`;
    const headers = {
      ETag: etag,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (ctx.fileRedirect) {
      if (!(await ctx.dotbase.blobs.has(key))) throw new HttpError(404, 'not_found', 'no such file');
      // the link expires: a cached redirect would outlive it
      c.header('Cache-Control', 'no-store');
      return c.redirect(await ctx.fileRedirect(key), 302);
    }
    const ifNoneMatch = c.req.header('if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag) && (await ctx.dotbase.blobs.has(key))) {
      return c.body(null, 304, headers);
    }
    const blob = await ctx.dotbase.blobs.get(key);
    if (!blob) throw new HttpError(404, 'not_found', 'no such file');
    // The blob store hands out fresh copies on plain ArrayBuffers; the type only says "could be shared".
    return c.body(blob.bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': blob.contentType, 'Content-Length': String(blob.bytes.byteLength) });
  });
}
