import { isBlobRef } from '@dotbase/core';
import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { fileUrl } from '../generations/present.js';
import { baseUrlFor } from '../http/base-url.js';
import { HttpError } from '../http/errors.js';
import { limitBody, requireUser } from '../http/guards.js';
import { parseWith } from '../http/validate.js';
import { listUploadsQuerySchema } from '../schemas.js';
import { inspectImage } from '../uploads/inspect.js';
import type { UploadUsage } from '../uploads/ownership.js';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * `POST /api/uploads` (multipart, field `file`) → 201 `{ id, url, … }`; the id goes into `input_images` or `mask`.
 * `GET /api/uploads` lists the caller's own uploads; `DELETE /api/uploads/<name>` removes one (`uploads/<name>`).
 */
export function uploadRoutes(ctx: ServerContext) {
  const { maxUploadBytes, maxUploadPixels, uploadQuotaBytes, uploadQuotaCount } = ctx.limits;
  const quotaError = (used: UploadUsage, message: string) =>
    new HttpError(403, 'upload_quota_exceeded', `${message}; delete uploads you no longer need (DELETE /api/uploads/<name>) to make room`, {
      details: { used_bytes: used.bytes, used_count: used.count, max_bytes: uploadQuotaBytes, max_count: uploadQuotaCount },
    });
  return new Hono<AppEnv>()
    .use('/api/uploads', requireUser(ctx))
    .post('/api/uploads', limitBody(maxUploadBytes + MULTIPART_OVERHEAD_BYTES), async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!/^multipart\/form-data\b/i.test(type)) {
        throw new HttpError(415, 'unsupported_media_type', 'send the image as multipart/form-data in a field named "file"');
      }
      let form: FormData;
      try {
        form = await c.req.formData();
      } catch {
        throw new HttpError(400, 'invalid_multipart', 'the multipart body could not be read');
      }
      const file = form.get('file');
      if (!(file instanceof File)) {
        throw new HttpError(422, 'invalid_input', 'file: is required (a multipart field named "file" holding the image)', { details: { field: 'file' } });
      }
      if (file.size > maxUploadBytes) {
        throw new HttpError(413, 'payload_too_large', `file: is larger than the ${maxUploadBytes} byte limit`, {
          details: { field: 'file', limit: maxUploadBytes },
        });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const image = await inspectImage(bytes, { maxBytes: maxUploadBytes, maxPixels: maxUploadPixels });
      const owner = c.get('owner');
      // one upload at a time per user (across instances with shared limits): two at once could each fit the quota
      // and together exceed it
      const info = await ctx.turns(`upload:${owner}`, async () => {
        const used = await ctx.owners.uploadUsage(owner);
        if (used.count + 1 > uploadQuotaCount) throw quotaError(used, `you already keep ${used.count} uploads, the most allowed`);
        if (used.bytes + bytes.byteLength > uploadQuotaBytes) {
          throw quotaError(used, `this upload (${bytes.byteLength} bytes) would take your uploads past ${uploadQuotaBytes} bytes (${used.bytes} used)`);
        }
        const stored = await ctx.dotbase.blobs.put(bytes, image.contentType, 'uploads');
        const entry = {
          id: stored.key,
          content_type: stored.contentType,
          size: stored.size,
          width: image.width,
          height: image.height,
          created_at: Date.now(),
        };
        await ctx.owners.claim(owner, stored.key, entry);
        return entry;
      });
      return c.json({ ...info, url: fileUrl(baseUrlFor(ctx, c), info.id) }, 201);
    })
    .get('/api/uploads', async (c) => {
      const { page, limit } = parseWith(listUploadsQuerySchema, c.req.query());
      const { items, total, usage } = await ctx.owners.listUploads(c.get('owner'), page, limit);
      const base = baseUrlFor(ctx, c);
      return c.json({
        items: items.map((item) => ({ ...item, url: fileUrl(base, item.id) })),
        page,
        limit,
        total,
        usage: { bytes: usage.bytes, count: usage.count, max_bytes: uploadQuotaBytes, max_count: uploadQuotaCount },
      });
    })
    .delete('/api/uploads/:name', requireUser(ctx), async (c) => {
      const name = c.req.param('name');
      const key = `uploads/${name}`;
      // another user's upload is answered exactly like a missing one, so ids cannot be probed
      if (!isBlobRef(key) || !(await ctx.owners.owns(c.get('owner'), key))) {
        throw new HttpError(404, 'not_found', `no upload ${name.length > 80 ? `${name.slice(0, 80)}…` : name}`);
      }
      // The file goes first: if forgetting the owner then fails, a retry still finds it owned and finishes; the
      // other order could leave the image reachable at its URL with nobody able to delete it.
      await ctx.dotbase.blobs.delete(key);
      await ctx.owners.release(c.get('owner'), key);
      return c.body(null, 204);
    });
}
