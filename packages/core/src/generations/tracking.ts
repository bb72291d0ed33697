import { isDotbaseError } from '../errors.js';
import { normalizeOutput, type Registry } from '../models/registry.js';
import type { ImageProvider, Prediction } from '../providers/types.js';
import { TERMINAL_STATUSES, type BlobStore, type GenerationRecord, type GenerationStatus, type GenerationStore, type UpdateCondition } from '../storage/types.js';
import type { TokenPool } from '../tokens/pool.js';
import type { GenerationEvents } from './events.js';
import { createKeyedMutex } from '../storage/keyed-mutex.js';
import { copyOutputs } from './outputs.js';
import { progressFromLogs } from './progress.js';
import { markerOf } from './recovery.js';

export interface TrackerDeps {
  registry: Registry;
  pool: TokenPool;
  provider: ImageProvider;
  store: GenerationStore;
  blobs: BlobStore;
  events: GenerationEvents;
  now: () => number;
  pollIntervalMs: number;
  /** Replicate deletes outputs after an hour, so tracking longer than that cannot end well. */
  maxTrackingMs: number;
  /** How many prediction look-ups may be in flight at once. */
  pollConcurrency: number;
}

type Patch = Parameters<GenerationStore['update']>[1];

/** Statuses a generation can still leave: the condition of every change made while following it. */
export const UNFINISHED: readonly GenerationStatus[] = ['pending', 'processing'];

interface Tracked {
  predictionId: string;
  tokenId: string;
  createdAt: number;
  nextPollAt: number;
  failures: number;
  polling: boolean;
}

/** Failed look-ups back off exponentially, up to 32 poll intervals and never beyond 30 s. */
const MAX_BACKOFF_INTERVALS = 32;
const MAX_BACKOFF_MS = 30_000;

function errorText(error: unknown): string {
  if (typeof error === 'string' && error) return error;
  if (error instanceof Error) return error.message;
  if (error === null || error === undefined || error === '') return 'the prediction failed without a reason';
  return JSON.stringify(error);
}

/**
 * Follows every submitted prediction to its end: by polling (a timer over the generations that are due) and by
 * predictions pushed through webhooks. Both paths end in `apply`, which is idempotent: every change is a
 * conditional update in the store, so duplicates and races between webhooks, polls and instances end a generation
 * once. The in-process lock per generation only spares this process duplicate work (two downloads of one output).
 */
export function createTracker(deps: TrackerDeps) {
  const tracked = new Map<string, Tracked>();
  const byPrediction = new Map<string, string>();
  const withLock = createKeyedMutex();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let inFlight = 0;
  let currentTick: Promise<void> = Promise.resolve();

  /** A change, announced when it applied (a conditional change that lost announces nothing). */
  async function save(id: string, patch: Patch, condition?: UpdateCondition): Promise<GenerationRecord | null> {
    const record = await deps.store.update(id, patch, condition);
    if (record) deps.events.emit(record);
    return record;
  }

  function untrack(id: string): void {
    const entry = tracked.get(id);
    if (entry) byPrediction.delete(entry.predictionId);
    tracked.delete(id);
  }

  /**
   * Ends a generation: one conditional transition from unfinished to a terminal status. However many webhooks,
   * polls and instances race, one wins; only the winner announces it (one event, one webhook, one count). A loser
   * gets the record as the winner left it (null when it was deleted).
   */
  async function finish(record: GenerationRecord, patch: Patch): Promise<GenerationRecord | null> {
    const completedAt = deps.now();
    untrack(record.id);
    const won = await save(record.id, { ...patch, completed_at: completedAt, processing_time_ms: completedAt - record.created_at }, { status: UNFINISHED });
    return won ?? deps.store.get(record.id);
  }

  /** Removes output copies the generation does not name (a lost race, a failed copy); copies it names stay. */
  async function discardUnused(keys: string[], record: GenerationRecord | null): Promise<void> {
    const kept = new Set(record?.output_keys ?? []);
    await Promise.all(keys.filter((key) => !kept.has(key)).map((key) => deps.blobs.delete(key).catch(() => undefined)));
  }

  async function applyUnlocked(id: string, prediction: Prediction): Promise<GenerationRecord | null> {
    const record = await deps.store.get(id);
    if (!record) {
      untrack(id);
      return null;
    }
    if (TERMINAL_STATUSES.includes(record.status)) {
      untrack(id);
      return record;
    }
    switch (prediction.status) {
      case 'starting':
      case 'processing': {
        const progress = progressFromLogs(prediction.logs) ?? record.progress;
        if (record.status === 'processing' && progress === record.progress) return record;
        // conditional: a late progress report must not bring back a generation another instance has just ended
        const saved = await save(id, { status: 'processing', progress }, { status: UNFINISHED });
        if (saved) return saved;
        untrack(id);
        return deps.store.get(id);
      }
      case 'succeeded': {
        const model = deps.registry.get(record.model_id);
        let urls: string[];
        try {
          urls = model ? normalizeOutput(model, prediction.output) : [];
        } catch (error) {
          return finish(record, { status: 'failed', error: `outputs could not be saved: ${errorText(error)}` });
        }
        // keys follow from the generation and its outputs: a racing copy writes the same objects, not new ones
        const copied = await copyOutputs(deps.provider, deps.blobs, urls, record.id);
        const final = copied.ok
          ? await finish(record, { status: 'completed', progress: 100, output_keys: copied.keys, error: null })
          : await finish(record, { status: 'failed', error: `outputs could not be saved: ${errorText(copied.error)}` });
        // after the transition, never before: the copies may be the very objects a racing winner recorded
        await discardUnused(copied.keys, final);
        return final;
      }
      case 'failed':
        return finish(record, { status: 'failed', error: errorText(prediction.error) });
      case 'canceled':
      case 'aborted':
        return finish(record, { status: 'canceled' });
    }
  }

  async function pollOne(id: string, entry: Tracked): Promise<void> {
    const now = deps.now();
    if (now - entry.createdAt > deps.maxTrackingMs) {
      await withLock(id, async () => {
        const record = await deps.store.get(id);
        if (record && !TERMINAL_STATUSES.includes(record.status)) {
          await finish(record, { status: 'failed', error: `no result from Replicate within ${Math.round(deps.maxTrackingMs / 60_000)} min; gave up` });
        } else untrack(id);
      });
      return;
    }
    const secret = deps.pool.secretFor(entry.tokenId);
    if (!secret) {
      await withLock(id, async () => {
        const record = await deps.store.get(id);
        if (record) await finish(record, { status: 'failed', error: `token ${entry.tokenId} is no longer configured, so the prediction cannot be followed` });
      });
      return;
    }
    try {
      const prediction = await deps.provider.get(secret, entry.predictionId);
      entry.failures = 0;
      await withLock(id, () => applyUnlocked(id, prediction));
      entry.nextPollAt = deps.now() + deps.pollIntervalMs;
    } catch (error) {
      entry.failures += 1;
      if (isDotbaseError(error, 'not_found')) {
        await withLock(id, async () => {
          const record = await deps.store.get(id);
          if (record) await finish(record, { status: 'failed', error: 'Replicate no longer knows this prediction' });
        });
        return;
      }
      const cap = Math.min(MAX_BACKOFF_MS, deps.pollIntervalMs * MAX_BACKOFF_INTERVALS);
      const backoff = Math.min(cap, deps.pollIntervalMs * 2 ** entry.failures);
      const wait = isDotbaseError(error, 'rate_limited') && error.retryAfterMs !== undefined ? error.retryAfterMs : backoff;
      entry.nextPollAt = deps.now() + wait;
    }
  }

  async function tick(): Promise<void> {
    const now = deps.now();
    const due: Promise<void>[] = [];
    for (const [id, entry] of tracked) {
      if (inFlight >= deps.pollConcurrency) break;
      if (entry.polling || entry.nextPollAt > now) continue;
      entry.polling = true;
      inFlight += 1;
      due.push(
        pollOne(id, entry).finally(() => {
          entry.polling = false;
          inFlight -= 1;
        }),
      );
    }
    await Promise.allSettled(due);
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      currentTick = tick().finally(schedule);
    }, Math.min(deps.pollIntervalMs, 250));
  }

  return {
    track(record: GenerationRecord, pollAt = deps.now() + deps.pollIntervalMs): void {
      if (!record.prediction_id || !record.token_id) return;
      tracked.set(record.id, {
        predictionId: record.prediction_id,
        tokenId: record.token_id,
        createdAt: record.created_at,
        nextPollAt: pollAt,
        failures: 0,
        polling: false,
      });
      byPrediction.set(record.prediction_id, record.id);
    },
    untrack,
    /** Whether this process follows the generation (polls its prediction). */
    follows(id: string): boolean {
      return tracked.has(id);
    },
    /** Applies a prediction to a generation (serialised per generation). */
    apply(id: string, prediction: Prediction): Promise<GenerationRecord | null> {
      return withLock(id, () => applyUnlocked(id, prediction));
    },
    /** The same, for a caller already inside `withLock(id)`: the lock is not reentrant, `apply` would wait forever. */
    applyHoldingLock: applyUnlocked,
    /** Applies a pushed prediction (webhook), also one another instance follows; unknown predictions are ignored. */
    async applyPushed(prediction: Prediction): Promise<void> {
      const id = byPrediction.get(prediction.id);
      if (!id) {
        // Followed by another instance (its webhook reached this one), or by nobody yet: the generation id in the
        // webhook URL names it. Applying here is safe whoever else applies too: every change is conditional.
        const marked = markerOf(prediction);
        if (!marked) return;
        // an id the store cannot even look up is no generation of ours (polling still covers our own)
        const record = await deps.store.get(marked).catch(() => null);
        if (!record || record.prediction_id !== prediction.id || TERMINAL_STATUSES.includes(record.status)) return;
        await withLock(marked, () => applyUnlocked(marked, prediction));
        return;
      }
      // Fresh news makes the next look-up pointless: polling is for predictions that went quiet. Under load,
      // when generations take longer than the poll interval, this spares a request to Replicate (and its
      // handling here) per generation per interval.
      const entry = tracked.get(id);
      if (entry && !entry.polling) entry.nextPollAt = Math.max(entry.nextPollAt, deps.now() + deps.pollIntervalMs);
      await withLock(id, () => applyUnlocked(id, prediction));
    },
    withLock,
    save,
    finish,
    start(): void {
      if (running) return;
      running = true;
      schedule();
    },
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      await currentTick;
    },
    get size(): number {
      return tracked.size;
    },
  };
}

export type Tracker = ReturnType<typeof createTracker>;
