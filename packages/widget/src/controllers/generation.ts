import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.js';
import { ApiError, isAbort } from '../api/errors.js';
import { isTerminal, type CreateGenerationBody, type Generation } from '../api/types.js';
import { watchGeneration } from '../api/watch.js';
import type { ResultProblem } from '../components/result-view/result-view.js';
import type { DotbaseEventDetails, ErrorContext } from '../events.js';

export interface GenerationHooks {
  client(): ApiClient;
  emit<K extends keyof DotbaseEventDetails>(name: K, detail: DotbaseEventDetails[K]): void;
  /** Called when a generation the user is watching reaches a terminal status. */
  onSettled(generation: Generation): void;
  /** Called on a status change worth announcing (not every progress tick). */
  onStatus(generation: Generation): void;
}

/** How many of this session's results the gallery keeps. */
const SESSION_SIZE = 24;

/** How often the elapsed time re-renders while a generation runs. */
const TICK_MS = 200;

/**
 * Runs the generation shown in the result view: creates it, follows it live (SSE, falling back to polling),
 * cancels and retries it, and keeps the elapsed time ticking. Only one generation is followed at a time; opening
 * another stops following the previous one (it keeps running on the server).
 */
export class GenerationController implements ReactiveController {
  current: Generation | null = null;
  /** Results finished while this studio was open, newest first (the gallery). */
  session: Generation[] = [];
  problem: ResultProblem | null = null;
  submitting = false;
  canceling = false;
  private startedAt = 0;
  private lastRequest: CreateGenerationBody | null = null;
  private watch: AbortController | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private readonly host: ReactiveControllerHost;
  private readonly hooks: GenerationHooks;

  constructor(host: ReactiveControllerHost, hooks: GenerationHooks) {
    this.host = host;
    this.hooks = hooks;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopFollowing();
  }

  get running(): boolean {
    return this.current !== null && !isTerminal(this.current.status);
  }

  /** Milliseconds the current generation has taken (so far, while it runs). */
  elapsedMs(): number | null {
    const generation = this.current;
    if (!generation) return null;
    if (!isTerminal(generation.status)) return Math.max(0, Date.now() - this.startedAt);
    if (generation.processing_time_ms !== null) return generation.processing_time_ms;
    return generation.completed_at === null ? null : Math.max(0, generation.completed_at - generation.created_at);
  }

  /**
   * Creates a generation and follows it. A refused request (invalid settings, rate limit, signed out) is returned,
   * not shown here: it belongs beside the form that made it, and the result shown before stays as it was.
   */
  async start(request: CreateGenerationBody): Promise<ApiError | null> {
    this.submitting = true;
    this.host.requestUpdate();
    let created;
    try {
      created = await this.hooks.client().createGeneration(request);
    } catch (error) {
      return this.report(error, 'create');
    } finally {
      this.submitting = false;
      this.host.requestUpdate();
    }
    this.stopFollowing();
    this.lastRequest = request;
    this.problem = null;
    this.startedAt = Date.now();
    const generation: Generation = {
      id: created.id,
      action: request.action,
      model_id: request.model_id,
      prompt: request.prompt ?? null,
      settings: request.settings,
      status: created.status,
      progress: null,
      output_urls: [],
      error: null,
      processing_time_ms: null,
      created_at: this.startedAt,
      completed_at: null,
      input_images: request.input_images ?? [],
      mask: request.mask ?? null,
    };
    this.current = generation;
    this.hooks.emit('dotbase-generation-start', { generation, request });
    this.hooks.onStatus(generation);
    void this.follow(generation.id);
    return null;
  }

  /** Shows an existing generation (e.g. from history), following it if it still runs. */
  show(generation: Generation): void {
    this.stopFollowing();
    this.problem = null;
    this.current = generation;
    this.lastRequest = null;
    this.startedAt = generation.created_at;
    this.host.requestUpdate();
    if (!isTerminal(generation.status)) void this.follow(generation.id);
  }

  /**
   * Stars or unstars a generation; the shown one and the session's copy follow the server's answer. A refusal is
   * returned, not shown as the result's problem (whose Retry would run the generation again).
   */
  async setFavorite(generation: Generation, favorite: boolean): Promise<ApiError | null> {
    try {
      const answer = await this.hooks.client().setFavorite(generation.id, favorite);
      const starred = answer.favorite === true;
      if (this.current?.id === generation.id) this.current = { ...this.current, favorite: starred };
      this.session = this.session.map((kept) => (kept.id === generation.id ? { ...kept, favorite: starred } : kept));
      this.host.requestUpdate();
      return null;
    } catch (error) {
      return this.report(error, 'favorite', generation.id);
    }
  }

  async cancel(): Promise<void> {
    const generation = this.current;
    if (!generation || isTerminal(generation.status)) return;
    this.canceling = true;
    this.host.requestUpdate();
    try {
      await this.hooks.client().cancelGeneration(generation.id);
    } catch (error) {
      this.report(error, 'cancel', generation.id);
    } finally {
      this.canceling = false;
      this.host.requestUpdate();
    }
  }

  /** Sends the same request again: the last one made here, or the one the shown generation was made with. */
  retry(): Promise<ApiError | null> {
    const generation = this.current;
    const request: CreateGenerationBody | null =
      this.lastRequest ??
      (generation
        ? {
            action: generation.action,
            model_id: generation.model_id,
            settings: generation.settings,
            ...(generation.prompt ? { prompt: generation.prompt } : {}),
            ...(generation.input_images?.length ? { input_images: generation.input_images } : {}),
            ...(generation.mask ? { mask: generation.mask } : {}),
          }
        : null);
    return request ? this.start(request) : Promise.resolve(null);
  }

  private async follow(id: string): Promise<void> {
    const abort = new AbortController();
    this.watch = abort;
    this.ticker = setInterval(() => this.host.requestUpdate(), TICK_MS);
    try {
      await watchGeneration(this.hooks.client(), id, { signal: abort.signal, onUpdate: (generation) => this.apply(generation) });
    } catch (error) {
      if (!isAbort(error)) this.fail(error, 'generation', id);
    } finally {
      if (this.watch === abort) this.stopFollowing();
    }
  }

  private apply(generation: Generation): void {
    if (this.current?.id !== generation.id) return;
    const previous = this.current.status;
    this.current = generation;
    this.host.requestUpdate();
    this.hooks.emit('dotbase-generation-progress', { generation });
    if (generation.status === previous) return;
    this.hooks.onStatus(generation);
    if (generation.status === 'completed') {
      this.session = [generation, ...this.session.filter((kept) => kept.id !== generation.id)].slice(0, SESSION_SIZE);
      this.hooks.emit('dotbase-generation-complete', { generation });
    }
    if (generation.status === 'failed') {
      this.hooks.emit('dotbase-generation-failed', { generation });
      this.hooks.emit('dotbase-error', { code: 'prediction_failed', message: generation.error ?? '', context: 'generation', generationId: generation.id });
    }
    if (generation.status === 'canceled') this.hooks.emit('dotbase-generation-canceled', { generation });
    if (isTerminal(generation.status)) this.hooks.onSettled(generation);
  }

  private fail(error: unknown, context: ErrorContext, generationId?: string): void {
    const apiError = this.report(error, context, generationId);
    this.problem = { code: apiError.code, message: apiError.message };
    this.host.requestUpdate();
  }

  private report(error: unknown, context: ErrorContext, generationId?: string): ApiError {
    const apiError = error instanceof ApiError ? error : new ApiError('internal', error instanceof Error ? error.message : String(error));
    this.hooks.emit('dotbase-error', { code: apiError.code, message: apiError.message, context, ...(generationId ? { generationId } : {}) });
    return apiError;
  }

  private stopFollowing(): void {
    this.watch?.abort();
    this.watch = null;
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
  }
}
