import { TERMINAL_STATUSES, type BatchRecord, type GenerationRecord } from '@dotbase/core';
import { Hono, type Context } from 'hono';
import { fitsStorageKey } from '../auth/owner-id.js';
import { presentBatch } from '../batches/present.js';
import { zipStream, type ZipEntry } from '../batches/zip.js';
import type { AppEnv, ServerContext } from '../context.js';
import { baseUrlFor } from '../http/base-url.js';
import { HttpError } from '../http/errors.js';
import { limitBody, requireUser } from '../http/guards.js';
import { idempotencyKeyOf, requestFingerprint } from '../http/idempotency.js';
import { parseWith, readJson } from '../http/validate.js';
import { listBatchesQuerySchema } from '../schemas.js';
import { checkOwnRefs } from './generations.js';

/** A hundred items with long prompts need more room than one create. */
const MAX_BATCH_BODY_BYTES = 1024 * 1024;

const notFound = (id: string) => new HttpError(404, 'not_found', `no batch ${id.length > 80 ? `${id.slice(0, 80)}…` : id}`);

/** `001-flux-schnell.png`, `002-real-esrgan-2.webp`: the item's place in the batch, its model, the output's number. */
export function zipEntryName(index: number, modelId: string, output: number, outputs: number, key: string): string {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(key)?.[1] ?? 'bin';
  const model = modelId.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${String(index + 1).padStart(3, '0')}-${model}${outputs > 1 ? `-${output + 1}` : ''}.${extension}`;
}

/**
 * Batches: `POST /api/batches` runs up to 100 creates as one batch (all checked before any is recorded), `GET` one or
 * the list, `POST /api/batches/:id/cancel`, and `GET /api/batches/:id/download` — a ZIP of every output, streamed.
 * Items run in fair turns (see batches/scheduler.ts). Users only ever see their own batches.
 */
export function batchRoutes(ctx: ServerContext) {
  const { service, blobs } = ctx.dotbase;

  async function ownBatch(c: Context<AppEnv>): Promise<BatchRecord> {
    const id = c.req.param('id') ?? '';
    if (id === '' || !fitsStorageKey(id)) throw notFound(id);
    const batch = await ctx.batches.get(id);
    if (!batch || batch.user_id !== c.get('owner')) throw notFound(id);
    return batch;
  }

  async function itemsOf(batch: BatchRecord): Promise<(GenerationRecord | null)[]> {
    return Promise.all(batch.items.map((id) => service.get(batch.user_id, id)));
  }

  async function present(c: Context<AppEnv>, batch: BatchRecord) {
    return presentBatch(batch, await itemsOf(batch), baseUrlFor(ctx, c));
  }

  async function create(userId: string, json: unknown): Promise<BatchRecord> {
    const body = parseWith(ctx.batchBodySchema, json);
    if (body.webhook !== undefined) await ctx.webhooks.checkTarget(body.webhook);
    await checkOwnRefs(
      ctx,
      userId,
      body.items.flatMap((item, i) => [
        ...(item.input_images ?? []).map((ref, j) => ({ path: `items.${i}.input_images.${j}`, ref })),
        ...(item.mask !== undefined ? [{ path: `items.${i}.mask`, ref: item.mask }] : []),
      ]),
    );
    const id = crypto.randomUUID();
    const webhook = body.webhook !== undefined ? { webhook: body.webhook, ...(body.webhook_events_filter ? { webhook_events_filter: body.webhook_events_filter } : {}) } : {};
    const records = await service.createHeld(
      userId,
      body.items.map((item) => ({ ...item, ...webhook })),
      id,
    );
    const batch: BatchRecord = { id, user_id: userId, items: records.map((r) => r.id), webhook: records[0]?.webhook ?? null, created_at: Date.now(), canceled_at: null };
    await ctx.batches.create(batch);
    await ctx.scheduler.add(userId, batch.items);
    return batch;
  }

  return new Hono<AppEnv>()
    // the wildcard covers /api/batches itself too
    .use('/api/batches/*', requireUser(ctx))
    .post('/api/batches', limitBody(MAX_BATCH_BODY_BYTES), async (c) => {
      const userId = c.get('owner');
      const key = idempotencyKeyOf(c);
      const json = await readJson(c);
      let batch: BatchRecord;
      if (key === undefined) {
        batch = await create(userId, json);
      } else {
        // a retried batch whose first answer was lost is the batch already running, not a hundred more generations
        let created: BatchRecord | undefined;
        const result = await ctx.idempotency.run('batches.create', userId, key, requestFingerprint(json), async () => (created = await create(userId, json)).id);
        const found = created ?? (await ctx.batches.get(result.id));
        if (!found) throw notFound(result.id);
        batch = found;
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
      }
      return c.json(await present(c, batch), 201);
    })
    .get('/api/batches', async (c) => {
      const query = parseWith(listBatchesQuerySchema, c.req.query());
      const page = await ctx.batches.list(c.get('owner'), query);
      const items = await Promise.all(page.items.map((batch) => present(c, batch)));
      return c.json({ items, page: query.page, limit: query.limit, total: page.total });
    })
    .get('/api/batches/:id', async (c) => c.json(await present(c, await ownBatch(c))))
    .post('/api/batches/:id/cancel', async (c) => {
      const batch = await ownBatch(c);
      const canceled = (await ctx.batches.markCanceled(batch.id, Date.now())) ?? batch;
      await ctx.scheduler.drop(batch.user_id, batch.items);
      // waiting items end at once; running ones are cancelled at Replicate (one that just finished stays completed)
      await Promise.all(batch.items.map((id) => service.cancel(batch.user_id, id).catch(() => null)));
      return c.json(await present(c, canceled));
    })
    .get('/api/batches/:id/download', async (c) => {
      const batch = await ownBatch(c);
      const items = await itemsOf(batch);
      const unfinished = items.filter((item) => item && !TERMINAL_STATUSES.includes(item.status)).length;
      if (unfinished > 0) {
        throw new HttpError(409, 'batch_unfinished', `${unfinished} of the batch's ${items.length} generations are still running; download once the batch is completed`, {
          retryAfterSeconds: 5,
        });
      }
      async function* entries(): AsyncGenerator<ZipEntry> {
        for (const [index, item] of items.entries()) {
          if (!item || item.status !== 'completed') continue;
          for (const [output, key] of item.output_keys.entries()) {
            const blob = await blobs.get(key);
            // a file deleted since (the generation was deleted) is left out rather than failing the whole archive
            if (!blob) continue;
            yield {
              name: zipEntryName(index, item.model_id, output, item.output_keys.length, key),
              bytes: blob.bytes,
              ...(item.completed_at !== null ? { modified: new Date(item.completed_at) } : {}),
            };
          }
        }
      }
      return c.body(zipStream(entries()), 200, {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="batch-${batch.id}.zip"`,
        'Cache-Control': 'no-store',
      });
    });
}
