import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { cancelBatch, createBatch, downloadBatch, getBatch, isBatchOver, type Batch } from '../api/batches.js';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import type { CreateGenerationBody } from '../api/types.js';
import type { ErrorContext } from '../events.js';

export interface BatchHooks {
  client(): ApiClient;
  onError(error: ApiError, context: ErrorContext): void;
}

/** How often a running batch is looked at: one request follows every item. */
const POLL_MS = 1000;

/**
 * Runs several images through one action as a server-side batch and follows it: one poll of
 * `GET /api/batches/:id` per second carries every item's status and progress (one event stream per item would
 * exhaust the browser's connections to the server).
 */
export class BatchController implements ReactiveController {
  batch: Batch | null = null;
  /** Input previews, index for index with the batch's items. */
  previews: string[] = [];
  starting = false;
  problem: ApiError | null = null;
  private readonly host: ReactiveControllerHost;
  private readonly hooks: BatchHooks;
  private following: AbortController | undefined;

  constructor(host: ReactiveControllerHost, hooks: BatchHooks) {
    this.host = host;
    this.hooks = hooks;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.following?.abort();
  }

  get active(): boolean {
    return this.starting || this.batch !== null || this.problem !== null;
  }

  async start(items: CreateGenerationBody[], previews: string[]): Promise<void> {
    this.following?.abort();
    this.starting = true;
    this.problem = null;
    this.batch = null;
    this.previews = previews;
    this.host.requestUpdate();
    try {
      this.batch = await createBatch(this.hooks.client(), items);
    } catch (error) {
      this.problem = error instanceof ApiError ? error : new ApiError('internal', String(error));
      this.hooks.onError(this.problem, 'create');
    } finally {
      this.starting = false;
      this.host.requestUpdate();
    }
    if (this.batch) void this.follow(this.batch.id);
  }

  async cancel(): Promise<void> {
    if (!this.batch) return;
    try {
      this.batch = await cancelBatch(this.hooks.client(), this.batch.id);
      this.host.requestUpdate();
    } catch (error) {
      this.hooks.onError(error instanceof ApiError ? error : new ApiError('internal', String(error)), 'cancel');
    }
  }

  async download(): Promise<void> {
    if (!this.batch) return;
    try {
      await downloadBatch(this.hooks.client(), this.batch.id);
    } catch (error) {
      this.hooks.onError(error instanceof ApiError ? error : new ApiError('internal', String(error)), 'generation');
    }
  }

  /** Back to the single-image result view. */
  clear(): void {
    this.following?.abort();
    this.batch = null;
    this.problem = null;
    this.previews = [];
    this.host.requestUpdate();
  }

  private async follow(id: string): Promise<void> {
    const abort = new AbortController();
    this.following = abort;
    while (!abort.signal.aborted && this.batch && !isBatchOver(this.batch)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (abort.signal.aborted) return;
      try {
        const batch = await getBatch(this.hooks.client(), id, abort.signal);
        if (abort.signal.aborted) return;
        this.batch = batch;
        this.host.requestUpdate();
      } catch (error) {
        if (abort.signal.aborted) return;
        // a dropped request is retried at the next tick; the batch runs on at the server regardless
        if (!(error instanceof ApiError) || error.code !== 'network_error') this.hooks.onError(error instanceof ApiError ? error : new ApiError('internal', String(error)), 'generation');
      }
    }
  }
}
