import { DotbaseError, isDotbaseError, unlessDamaged } from '../errors.js';
import type { ImageTools } from '../images/sniff.js';
import { ACTIONS } from '../models/types.js';
import type { Registry } from '../models/registry.js';
import type { ImageProvider, Prediction } from '../providers/types.js';
import { TERMINAL_STATUSES, WEBHOOK_EVENTS, type BlobStore, type GenerationRecord, type GenerationStore, type WebhookTarget } from '../storage/types.js';
import type { TokenPool } from '../tokens/pool.js';
import { createGenerationEvents } from './events.js';
import { checkImageRefs } from './inputs.js';
import { findLostPredictions, submittableSince } from './recovery.js';
import { submitGeneration, type SubmitDeps } from './submit.js';
import { createTracker, UNFINISHED } from './tracking.js';
import type { CreateGenerationRequest, GenerationService } from './types.js';

export interface GenerationServiceOptions {
  registry: Registry;
  pool: TokenPool;
  provider: ImageProvider;
  store: GenerationStore;
  blobs: BlobStore;
  /** How often a running prediction is looked up (default 1 s; with webhooks polling is only the fallback). */
  pollIntervalMs?: number;
  /** Ask Replicate to push predictions here (the server's `/api/webhooks/replicate`). */
  webhookUrl?: string;
  /** Stored images up to this many bytes are sent inline as data URLs (default 256 KiB). */
  inlineMaxBytes?: number;
  /** A URL at which Replicate can fetch a stored image directly, when the server is publicly reachable. */
  publicFileUrl?: (key: string) => string | undefined;
  /**
   * Checks an image URL a caller passed (not a stored upload) before anything is recorded; throw to refuse it, the
   * error's message becomes the field's issue. On Node pass `checkPublicUrl` from `@dotbase/core/node` (https, public
   * addresses only). Without it, any https URL passes.
   */
  checkInputUrl?: (url: string) => Promise<unknown>;
  /** Needed only for models that repaint black (mask inversion); `@dotbase/core/node` provides sharp-based tools. */
  imageTools?: ImageTools;
  /** Generations still running after this long are failed (default 1 h: Replicate deletes outputs by then). */
  maxTrackingMs?: number;
  pollConcurrency?: number;
  /**
   * Runs before a new record is first stored; a failure refuses the create. `createDotbase` uses it to watch
   * generations with a webhook in the outbox, so a crash between a status and its webhook loses no message.
   */
  beforeStore?: (record: GenerationRecord) => Promise<void>;
  now?: () => number;
  newId?: () => string;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The webhook a request asks for, checked for shape only (which hosts may be called is the server's rule). */
function webhookTarget(request: CreateGenerationRequest): WebhookTarget | null {
  if (request.webhook === undefined) {
    if (request.webhook_events_filter !== undefined) {
      throw new DotbaseError('invalid_input', 'webhook_events_filter needs a webhook', { details: { issues: [{ path: 'webhook_events_filter', message: 'needs a webhook' }] } });
    }
    return null;
  }
  let url: URL | undefined;
  try {
    url = new URL(request.webhook);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new DotbaseError('invalid_input', 'webhook must be an absolute http(s) URL', { details: { issues: [{ path: 'webhook', message: 'must be an absolute http(s) URL' }] } });
  }
  const filter = request.webhook_events_filter ?? [...WEBHOOK_EVENTS];
  const unknown = filter.filter((event) => !WEBHOOK_EVENTS.includes(event));
  if (unknown.length > 0 || filter.length === 0) {
    const message = `must list some of ${WEBHOOK_EVENTS.join(', ')}`;
    throw new DotbaseError('invalid_input', `webhook_events_filter ${message}`, { details: { issues: [{ path: 'webhook_events_filter', message }] } });
  }
  return { url: url.href, events_filter: [...new Set(filter)] };
}

/** A batch item's validation error, its paths and message prefixed with `items.<index>`. */
function itemError(index: number, error: unknown): unknown {
  // an unknown model is a bad item too: the batch request is what is wrong, not a missing resource
  if (isDotbaseError(error, 'not_found')) {
    const issues = [{ path: `items.${index}.model_id`, message: error.message }];
    return new DotbaseError('invalid_input', `items.${index}.model_id: ${error.message}`, { details: { index, issues }, cause: error });
  }
  if (!isDotbaseError(error, 'invalid_input')) return error;
  const details = error.details as { issues?: { path: string; message: string }[] } | undefined;
  const issues = (details?.issues ?? [{ path: '', message: error.message }]).map((issue) => ({
    ...issue,
    path: issue.path ? `items.${index}.${issue.path}` : `items.${index}`,
  }));
  return new DotbaseError('invalid_input', `items.${index}: ${error.message}`, { details: { ...details, index, issues }, cause: error });
}

function checkRequestShape(request: CreateGenerationRequest): void {
  const issues: { path: string; message: string }[] = [];
  if (!ACTIONS.includes(request.action)) issues.push({ path: 'action', message: `must be one of ${ACTIONS.join(', ')}` });
  if (typeof request.model_id !== 'string' || !request.model_id) issues.push({ path: 'model_id', message: 'is required' });
  if (request.input_images !== undefined && !Array.isArray(request.input_images)) issues.push({ path: 'input_images', message: 'must be a list' });
  if (issues.length > 0) {
    throw new DotbaseError('invalid_input', issues.map((i) => `${i.path} ${i.message}`).join('; '), { details: { issues } });
  }
}

/**
 * The generation lifecycle: validate → record `pending` → submit on a pooled token → `processing` → follow by
 * polling and webhooks → copy outputs into storage → `completed` (or `failed` / `canceled`). Nothing is kept only
 * in memory: after a crash, `start()` picks every unfinished generation up again from the store.
 *
 * @example
 * const service = createGenerationService({ registry, pool, provider, store, blobs });
 * await service.start();
 * const generation = await service.create('user-1', { action: 'create', model_id: 'flux-schnell', prompt: 'a fox' });
 */
export function createGenerationService(options: GenerationServiceOptions): GenerationService {
  const { registry, pool, provider, store, blobs } = options;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const events = createGenerationEvents();
  const pollIntervalMs = options.pollIntervalMs ?? (options.webhookUrl ? 5_000 : 1_000);
  const maxTrackingMs = options.maxTrackingMs ?? 60 * 60 * 1000;
  const tracker = createTracker({
    registry,
    pool,
    provider,
    store,
    blobs,
    events,
    now,
    pollIntervalMs,
    maxTrackingMs,
    pollConcurrency: options.pollConcurrency ?? 32,
  });
  const submitDeps: SubmitDeps = {
    registry,
    pool,
    inputs: {
      blobs,
      provider,
      inlineMaxBytes: options.inlineMaxBytes ?? 256 * 1024,
      ...(options.publicFileUrl ? { publicFileUrl: options.publicFileUrl } : {}),
      ...(options.imageTools ? { imageTools: options.imageTools } : {}),
    },
    // 'start' would only say what the submit already told us (processing); logs carry progress, completed the end
    ...(options.webhookUrl ? { webhook: { url: options.webhookUrl, events: ['logs', 'completed'] } } : {}),
  };

  /** Submits a recorded `pending` generation; on failure it is recorded as `failed` and the error rethrown. */
  async function submit(record: GenerationRecord): Promise<GenerationRecord> {
    let submitted;
    try {
      submitted = await submitGeneration(submitDeps, record);
    } catch (error) {
      // conditional: one cancelled or ended meanwhile (here or on another instance) keeps its end
      await tracker.withLock(record.id, () => tracker.finish(record, { status: 'failed', error: message(error) }));
      throw error;
    }
    const { prediction, tokenId } = submitted;
    const updated = await tracker.withLock(record.id, async () => {
      // only a generation still pending without a prediction becomes this prediction's
      const saved = await tracker.save(
        record.id,
        { status: 'processing', prediction_id: prediction.id, token_id: tokenId, started_at: now() },
        { status: ['pending'], unset: ['prediction_id'] },
      );
      if (saved) return saved;
      // cancelled, deleted or ended (or submitted by another instance) while the submission was on its way: stop
      // the prediction we just started
      const secret = pool.secretFor(tokenId);
      if (secret) await provider.cancel(secret, prediction.id).catch(() => undefined);
      return store.get(record.id);
    });
    if (!updated || updated.status !== 'processing') return updated ?? record;
    tracker.track(updated);
    if (prediction.status !== 'starting') return (await tracker.apply(updated.id, prediction)) ?? updated;
    return updated;
  }

  /** Links a generation to the prediction its lost submission created, and follows it from there. */
  async function adopt(record: GenerationRecord, prediction: Prediction, tokenId: string): Promise<void> {
    const updated = await tracker.withLock(record.id, () =>
      tracker.save(
        record.id,
        { status: 'processing', prediction_id: prediction.id, token_id: tokenId, started_at: now() },
        { status: UNFINISHED, unset: ['prediction_id'] },
      ),
    );
    if (!updated) return;
    tracker.track(updated, now());
  }

  async function own(userId: string, id: string): Promise<GenerationRecord | null> {
    const record = await store.get(id);
    return record && record.user_id === userId ? record : null;
  }

  async function cancelRecord(record: GenerationRecord): Promise<GenerationRecord | null> {
    return tracker.withLock(record.id, async () => {
      const current = await store.get(record.id);
      if (!current || TERMINAL_STATUSES.includes(current.status)) return current;
      const secret = current.token_id ? pool.secretFor(current.token_id) : undefined;
      if (current.prediction_id && secret) {
        try {
          const prediction = await provider.cancel(secret, current.prediction_id);
          if (prediction.status === 'succeeded' || prediction.status === 'failed') {
            // it finished before the cancel arrived: record what really happened (we already hold the lock)
            return tracker.applyHoldingLock(current.id, prediction);
          }
        } catch (error) {
          if (!isDotbaseError(error, 'not_found')) throw error;
        }
      }
      return tracker.finish(current, { status: 'canceled' });
    });
  }

  /** Validates a request and makes its `pending` record (not yet stored). */
  async function buildRecord(userId: string, request: CreateGenerationRequest, batchId: string | null): Promise<GenerationRecord> {
    checkRequestShape(request);
    const images = request.input_images ?? [];
    const prompt = typeof request.prompt === 'string' && request.prompt.trim() !== '' ? request.prompt : undefined;
    const prepared = registry.prepare({
      model_id: request.model_id,
      action: request.action,
      ...(prompt !== undefined ? { prompt } : {}),
      settings: request.settings ?? {},
      images,
      ...(request.mask !== undefined ? { mask: request.mask } : {}),
    });
    await checkImageRefs(blobs, options.checkInputUrl, [
      ...images.map((ref, i) => ({ path: `input_images.${i}`, ref })),
      ...(request.mask !== undefined ? [{ path: 'mask', ref: request.mask }] : []),
    ]);
    return {
      id: newId(),
      user_id: userId,
      action: request.action,
      model_id: prepared.model.id,
      prompt: prompt ?? null,
      settings: prepared.settings,
      input_images: images,
      mask: request.mask ?? null,
      status: 'pending',
      prediction_id: null,
      token_id: null,
      output_keys: [],
      error: null,
      progress: null,
      created_at: now(),
      started_at: null,
      completed_at: null,
      processing_time_ms: null,
      webhook: webhookTarget(request),
      batch_id: batchId,
    };
  }

  /**
   * Follows the unfinished generations among `ids` that have a prediction (their polling starts now) and answers
   * the orphans: recorded but never confirmed as submitted. Held batch items are left to their batch.
   */
  async function sortUnfinished(ids: string[], claimed: Set<string>): Promise<GenerationRecord[]> {
    const orphans: GenerationRecord[] = [];
    for (const id of ids) {
      // a damaged record (the operator started with the store check off) cannot be resumed; its reads say so
      const record = await store.get(id).catch(unlessDamaged(null));
      if (!record || TERMINAL_STATUSES.includes(record.status)) continue;
      if (record.prediction_id && record.token_id) {
        claimed.add(record.prediction_id);
        tracker.track(record, now());
      } else if (record.status === 'pending' && record.batch_id && !record.submit_started_at) {
        // a held batch item: its batch's scheduler submits it when its turn comes (one whose submission had
        // begun is an orphan like any other: it may have a prediction already)
      } else {
        orphans.push(record);
      }
    }
    return orphans;
  }

  /** Resumes orphans (see `sortUnfinished`): adopts the prediction a lost submission made, else submits them. */
  async function recover(candidates: GenerationRecord[], claimed: Set<string>): Promise<void> {
    // One interrupted longer ago than a generation may run is failed, not looked for: the search would page
    // through hours of predictions, and a result would come too late anyway.
    const stale = candidates.filter((record) => now() - submittableSince(record) > maxTrackingMs);
    for (const record of stale) {
      await tracker.withLock(record.id, () => tracker.finish(record, { status: 'failed', error: 'interrupted by a restart too long ago to resume' }));
    }
    const orphans = candidates.filter((record) => !stale.includes(record));
    if (orphans.length === 0) return;
    // Recorded but not confirmed as submitted: the process died before or after sending the create. Look for
    // the prediction first; submitting blindly could pay for it twice.
    for (const userId of new Set(orphans.map((record) => record.user_id))) {
      const { items } = await store.list(userId, { page: 1, limit: 100 }).catch(unlessDamaged({ items: [] as GenerationRecord[] }));
      for (const record of items) if (record.prediction_id) claimed.add(record.prediction_id);
    }
    const { found, unlisted } = await findLostPredictions({ registry, pool, provider }, orphans, claimed, options.webhookUrl !== undefined);
    for (const record of orphans) {
      const lost = found.get(record.id);
      if (lost) {
        adopt(record, lost.prediction, lost.tokenId).catch(() => undefined);
      } else if (unlisted.length > 0) {
        await tracker.withLock(record.id, () =>
          tracker.finish(record, {
            status: 'failed',
            error: 'interrupted by a restart, and Replicate could not be asked whether it had already started; not resubmitted so it is not paid for twice',
          }),
        );
      } else {
        // it never reached Replicate: submit it now, in the background
        submit(record).catch(() => undefined);
      }
    }
  }

  // Takeover (stores shared by several instances): the generations of an instance that died are claimed here and
  // resumed as at a start. Ids that could not be read (the database was unreachable) are tried again next round:
  // the store answers each claimed id once.
  let running = false;
  let takeoverTimer: ReturnType<typeof setTimeout> | undefined;
  let takeoverRound: Promise<void> = Promise.resolve();
  let retryIds: string[] = [];
  function scheduleTakeover(): void {
    const takeover = store.takeover;
    if (!takeover || !running) return;
    takeoverTimer = setTimeout(() => {
      takeoverRound = (async () => {
        const ids = [...retryIds];
        retryIds = [];
        const claimed = new Set<string>();
        let orphans: GenerationRecord[];
        try {
          ids.push(...(await takeover.claim()));
          orphans = await sortUnfinished([...new Set(ids)].filter((id) => !tracker.follows(id)), claimed);
        } catch {
          retryIds = ids;
          return;
        }
        // not retried: a second recovery of an orphan whose submission is under way could submit it twice
        await recover(orphans, claimed).catch(() => undefined);
      })().finally(scheduleTakeover);
    }, takeover.intervalMs);
  }

  return {
    async create(userId, request) {
      const record = await buildRecord(userId, request, null);
      await options.beforeStore?.(record);
      await store.create(record);
      events.emit(record);
      return submit(record);
    },

    async createHeld(userId, requests, batchId) {
      // every item is checked before any is stored: one bad item refuses them all, naming its index
      const records: GenerationRecord[] = [];
      for (const [index, request] of requests.entries()) {
        try {
          records.push(await buildRecord(userId, request, batchId));
        } catch (error) {
          throw itemError(index, error);
        }
      }
      for (const record of records) {
        await options.beforeStore?.(record);
        await store.create(record);
        events.emit(record);
      }
      return records;
    },

    async submitHeld(id) {
      // one whose submission began before a restart is recovery's (it may have a prediction already), not ours
      const record = await store.get(id);
      if (!record || record.status !== 'pending' || record.prediction_id || record.submit_started_at) return record;
      // written before the create is sent: a crash after sending leaves an item recovery knows to look for
      // conditional: of two instances submitting one item, one marks it and submits; the other finds it marked
      const marked = await store.update(id, { submit_started_at: now() }, { status: ['pending'], unset: ['prediction_id', 'submit_started_at'] });
      if (!marked || marked.submit_started_at === undefined || marked.submit_started_at === null) return (await store.get(id)) ?? record;
      return submit(marked);
    },

    get: own,

    list(userId, query) {
      return store.list(userId, query);
    },

    async cancel(userId, id) {
      const record = await own(userId, id);
      return record ? cancelRecord(record) : null;
    },

    async setFavorite(userId, id, favorite) {
      if (!(await own(userId, id))) return null;
      // no event: a star is not a status change (slot and cap bookkeeping listen to events)
      return store.setFavorite(id, favorite);
    },

    async delete(userId, id) {
      const record = await own(userId, id);
      if (!record) return false;
      if (!TERMINAL_STATUSES.includes(record.status)) await cancelRecord(record).catch(() => undefined);
      tracker.untrack(id);
      const final = (await store.get(id)) ?? record;
      await Promise.all(final.output_keys.map((key) => blobs.delete(key).catch(() => undefined)));
      return store.delete(id);
    },

    stats(windowMs) {
      return store.stats(now() - windowMs);
    },

    handlePrediction(prediction) {
      return tracker.applyPushed(prediction);
    },

    subscribe: events.subscribe,

    async wait(userId, id, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 120_000;
      const { signal } = waitOptions;
      signal?.throwIfAborted();
      let unsubscribe = () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAbort = () => {};
      const terminal = new Promise<GenerationRecord>((resolve, reject) => {
        unsubscribe = events.subscribe((event) => {
          if (event.id === id && TERMINAL_STATUSES.includes(event.status)) resolve(event.record);
        });
        timer = setTimeout(() => reject(new DotbaseError('conflict', `generation ${id} did not finish within ${timeoutMs} ms`)), timeoutMs);
        onAbort = () => reject(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      try {
        // subscribe first, then look: a change between the two cannot be missed
        const current = await own(userId, id);
        if (!current || TERMINAL_STATUSES.includes(current.status)) return current;
        return await terminal;
      } finally {
        unsubscribe();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        terminal.catch(() => undefined);
      }
    },

    async start() {
      await pool.ready();
      // a crash between two writes can leave index entries of records never written: totals would count them
      await store.reconcile?.();
      const claimed = new Set<string>();
      const orphans = await sortUnfinished(await store.listUnfinished(), claimed);
      tracker.start();
      running = true;
      scheduleTakeover();
      await recover(orphans, claimed);
    },

    async stop() {
      running = false;
      clearTimeout(takeoverTimer);
      await takeoverRound;
      await tracker.stop();
    },
  };
}
