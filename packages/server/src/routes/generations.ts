import { isBlobRef, isDotbaseError, TERMINAL_STATUSES, type GenerationRecord } from '@dotbase/core';
import { Hono, type Context } from 'hono';
import { fitsStorageKey, ownerIdFor } from '../auth/owner-id.js';
import type { AppEnv, ServerContext } from '../context.js';
import { ownFileRef } from '../generations/own-file-refs.js';
import { presentedJson } from '../generations/present.js';
import { searchByPrompt } from '../generations/search.js';
import { baseUrlFor } from '../http/base-url.js';
import { HttpError } from '../http/errors.js';
import { idempotencyKeyOf, requestFingerprint } from '../http/idempotency.js';
import { limitBody, requireUser } from '../http/guards.js';
import { preferredWaitSeconds } from '../http/prefer-wait.js';
import { parseWith, readJson, type FieldIssue } from '../http/validate.js';
import { listGenerationsQuerySchema } from '../schemas.js';
import { generationEvents } from './events.js';

const notFound = (id: string) => new HttpError(404, 'not_found', `no generation ${id.length > 80 ? `${id.slice(0, 80)}…` : id}`);

/** Generation ids are uuids; one that could not even be a storage key is simply not found. */
function generationId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (id === '' || !fitsStorageKey(id)) throw notFound(id);
  return id;
}

/**
 * Image references that name stored blobs must be the caller's own uploads or outputs. Another user's key
 * gets the same answer as a key that does not exist, so keys cannot be probed.
 */
export async function checkOwnRefs(ctx: ServerContext, userId: string, refs: { path: string; ref: string }[]): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const { path, ref } of refs) {
    if (isBlobRef(ref) && !(await ctx.owners.owns(userId, ref))) issues.push({ path, message: `no upload with id ${ref}` });
  }
  if (issues.length > 0) {
    throw new HttpError(422, 'invalid_input', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { details: { issues } });
  }
}

/**
 * `Prefer: wait`: the generation once it has ended, or as it stands when the wait is over, the caller has gone or
 * the server is shutting down. The generation runs on either way; the caller can follow it by id.
 */
async function heldUntilDone(ctx: ServerContext, c: Context<AppEnv>, record: GenerationRecord, timeoutMs: number): Promise<GenerationRecord> {
  if (TERMINAL_STATUSES.includes(record.status)) return record;
  // One controller for both ends, its listeners removed after: AbortSignal.any would tie an object per held
  // request to the server-long shutdown signal.
  const stop = new AbortController();
  const sources = [c.req.raw.signal, ...(ctx.shutdown ? [ctx.shutdown] : [])];
  const onAbort = () => stop.abort();
  for (const source of sources) {
    if (source.aborted) stop.abort();
    else source.addEventListener('abort', onAbort, { once: true });
  }
  try {
    return (await ctx.dotbase.service.wait(record.user_id, record.id, { timeoutMs, signal: stop.signal })) ?? record;
  } catch (error) {
    if (!stop.signal.aborted && !isDotbaseError(error, 'conflict')) throw error;
    return (await ctx.dotbase.service.get(record.user_id, record.id)) ?? record;
  } finally {
    for (const source of sources) source.removeEventListener('abort', onAbort);
  }
}

/**
 * The group (the minter's owner id) of a stored user id `<minter>:<user_id>` or `<minter>`, when `<minter>` is an
 * API-key user. End users stored under a digest (very long ids) are learned when they next create instead.
 */
function minterOf(ctx: ServerContext, userId: string): string | undefined {
  const colon = userId.indexOf(':');
  const prefix = colon > 0 ? userId.slice(0, colon) : undefined;
  const minter = prefix !== undefined && ctx.auth.apiKeyUsers.has(prefix) ? prefix : prefix === undefined && ctx.auth.apiKeyUsers.has(userId) ? userId : undefined;
  return minter === undefined ? undefined : ownerIdFor(minter);
}

/**
 * A create waits for Replicate to accept the prediction, through the token pool's retries; when Replicate does
 * not answer, that could take minutes. Past `createTimeoutMs` the caller gets a 504 at once, and the generation,
 * once the create does return, is canceled (which also cancels its prediction), so nothing runs that the caller
 * was told did not start.
 */
async function withinDeadline(ctx: ServerContext, userId: string, creating: Promise<GenerationRecord>): Promise<GenerationRecord> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), ctx.limits.createTimeoutMs);
  });
  try {
    const first = await Promise.race([creating, expired]);
    if (first !== 'expired') return first;
  } finally {
    clearTimeout(timer);
  }
  creating.then(
    (record) => {
      if (!TERMINAL_STATUSES.includes(record.status)) {
        ctx.dotbase.service.cancel(userId, record.id).catch((error: unknown) => ctx.logger.error('canceling a timed-out create failed', { generation: record.id, error: String(error) }));
      }
    },
    () => undefined,
  );
  const seconds = Math.round(ctx.limits.createTimeoutMs / 1000);
  throw new HttpError(504, 'upstream_timeout', `Replicate did not accept the generation within ${seconds} s; it was not started (it will show as canceled). Try again later`, {
    retryAfterSeconds: 5,
  });
}

/** A JSON answer from text already serialised (see presentedJson). */
function jsonText(c: Context<AppEnv>, json: string, status: 200 | 201 = 200): Response {
  return c.body(json, status, { 'Content-Type': 'application/json' });
}

/** The seed's generation endpoints, plus cancel, delete and live events. Users only ever see their own. */
export function generationRoutes(ctx: ServerContext) {
  const { service } = ctx.dotbase;
  let seeded: Promise<void> | undefined;

  return new Hono<AppEnv>()
    .use('/api/generations/*', requireUser(ctx))
    .post('/api/generations/create', limitBody(ctx.limits.maxJsonBytes), async (c) => {
      // under overload most creates are shed: before anything else is done for them
      const refusal = ctx.admission.refusalIfFull();
      if (refusal) return c.json(refusal.body, 503, refusal.headers);
      const userId = c.get('owner');
      const waitSeconds = preferredWaitSeconds(c.req.header('prefer'));
      const key = idempotencyKeyOf(c);
      const base = baseUrlFor(ctx, c);
      const json = await readJson(c);
      const createOne = async (): Promise<GenerationRecord> => {
        const parsed = parseWith(ctx.createBodySchema, json);
        // file URLs this server handed out (output_urls, upload urls) name a stored file: use its key
        const body = {
          ...parsed,
          ...(parsed.input_images ? { input_images: parsed.input_images.map((ref) => ownFileRef(ref, base)) } : {}),
          ...(parsed.mask !== undefined ? { mask: ownFileRef(parsed.mask, base) } : {}),
        };
        if (body.webhook !== undefined) await ctx.webhooks.checkTarget(body.webhook);
        await checkOwnRefs(ctx, userId, [
          ...(body.input_images ?? []).map((ref, i) => ({ path: `input_images.${i}`, ref })),
          ...(body.mask !== undefined ? [{ path: 'mask', ref: body.mask }] : []),
        ]);
        // Generations resumed after a restart count against the cap too.
        await (seeded ??= ctx.active.seed(ctx.dotbase.store, (id) => minterOf(ctx, id)));
        const principal = c.get('principal');
        // An embed token's end user counts toward its minter's cap as well; an API-key user's own generations too.
        const minter = principal.minter ?? (ctx.auth.apiKeyUsers.has(principal.id) ? principal.id : undefined);
        // the minter's own generations are stored under its owner id, which for a long name is a digest
        const groupId = minter === undefined ? undefined : ownerIdFor(minter);
        const groupMax = ctx.limits.maxActiveGenerationsPerMinter;
        const release = await ctx.active.tryReserve(userId, ctx.limits.maxActiveGenerations, groupId === undefined ? undefined : { id: groupId, max: groupMax });
        if (!release) {
          const mine = (await ctx.active.count(userId)) >= ctx.limits.maxActiveGenerations;
          throw new HttpError(
            429,
            'too_many_generations',
            mine
              ? `at most ${ctx.limits.maxActiveGenerations} generations may run at once; wait for one to finish`
              : `at most ${groupMax} generations may run at once for ${minter} and the users of its embed tokens together; wait for one to finish`,
            { retryAfterSeconds: 2 },
          );
        }
        // server-wide capacity: wait briefly for a slot or be refused at once (503 + Retry-After)
        let slot;
        try {
          slot = await ctx.admission.admit(c.req.raw.signal);
        } catch (error) {
          release();
          throw error;
        }
        // the server-wide slot is given back when the generation ends (or at once if the create fails)
        const creating = slot.run(() => service.create(userId, body));
        // The slot is held until the create has really ended, even when the caller stopped waiting for it below.
        creating.then((record) => release(record), () => release());
        return withinDeadline(ctx, userId, creating);
      };
      let record: GenerationRecord;
      if (key === undefined) {
        record = await createOne();
      } else {
        // a retry whose first answer was lost gets the generation it already started, not a second paid one
        let created: GenerationRecord | undefined;
        const result = await ctx.idempotency.run('generations.create', userId, key, requestFingerprint(json), async () => (created = await createOne()).id);
        const found = created ?? (await service.get(userId, result.id));
        if (!found) throw notFound(result.id);
        record = found;
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
      }
      if (waitSeconds !== undefined) {
        c.header('Preference-Applied', `wait=${waitSeconds}`);
        record = await heldUntilDone(ctx, c, record, waitSeconds * 1000);
      }
      return jsonText(c, presentedJson(record, baseUrlFor(ctx, c)), 201);
    })
    .get('/api/generations/list', async (c) => {
      const { q, ...query } = parseWith(listGenerationsQuerySchema, c.req.query());
      const result = q ? await searchByPrompt(service, c.get('owner'), { ...query, q }) : await service.list(c.get('owner'), query);
      const base = baseUrlFor(ctx, c);
      const items = result.items.map((record) => presentedJson(record, base)).join(',');
      return jsonText(c, `{"items":[${items}],"page":${query.page},"limit":${query.limit},"total":${result.total}}`);
    })
    .get('/api/generations/:id', async (c) => {
      const id = generationId(c);
      const record = await service.get(c.get('owner'), id);
      if (!record) throw notFound(id);
      return jsonText(c, presentedJson(record, baseUrlFor(ctx, c)));
    })
    .get('/api/generations/:id/events', (c) => generationEvents(ctx, c, generationId(c)))
    .get('/api/generations/:id/deliveries', async (c) => {
      const id = generationId(c);
      if (!(await service.get(c.get('owner'), id))) throw notFound(id);
      return c.json({ items: await ctx.webhooks.deliveries(id) });
    })
    // PUT stars, DELETE unstars; both are idempotent and answer the generation as it now is
    .on(['PUT', 'DELETE'], '/api/generations/:id/favorite', async (c) => {
      const id = generationId(c);
      const record = await service.setFavorite(c.get('owner'), id, c.req.method === 'PUT');
      if (!record) throw notFound(id);
      return jsonText(c, presentedJson(record, baseUrlFor(ctx, c)));
    })
    .post('/api/generations/:id/cancel', async (c) => {
      const id = generationId(c);
      const record = await service.cancel(c.get('owner'), id);
      if (!record) throw notFound(id);
      return jsonText(c, presentedJson(record, baseUrlFor(ctx, c)));
    })
    .delete('/api/generations/:id', async (c) => {
      const userId = c.get('owner');
      const id = generationId(c);
      const record = await service.get(userId, id);
      if (!record || !(await service.delete(userId, id))) throw notFound(id);
      ctx.active.forget(userId, id);
      ctx.admission.forget(id);
      // The service removed the output files; their ownership entries go too. One left behind by an output that
      // landed during the delete is harmless: it points at a file that no longer exists.
      await Promise.all([...record.output_keys.map((key) => ctx.owners.release(userId, key)), ctx.webhooks.forget(id)]);
      return c.body(null, 204);
    });
}
