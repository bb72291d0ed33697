import type { RenderedOutput, Renderer } from '../images/renderer.js';
import type { StatsCollector } from '../stats.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { tqdmLine } from './tqdm.js';
import { TERMINAL_STATUSES, type PredictionRecord, type PredictionStatus } from './types.js';

export interface LifecycleOptions {
  startingMs: number;
  processingMs: number;
  steps: number;
  outputTtlMs: number;
  renderer: Renderer;
  outputs: BlobStore;
  /** The public URL of an output stored under `key`. */
  outputUrl(key: string): string;
  stats: StatsCollector;
  webhooks: WebhookDispatcher;
}

export const SIMULATED_LOG_LINE = 'Simulated by @dotbase/simulator: outputs are synthetic images, not the result of a real model run.';

/** What is in flight for one unfinished prediction. One timer at a time: the next phase, or the Cancel-After deadline. */
interface Run {
  timer?: NodeJS.Timeout;
  step: number;
  rendering?: Promise<RenderedOutput[] | Error>;
  waiters: Set<() => void>;
}

/** Moves predictions through starting → processing (tqdm logs) → succeeded | failed | canceled | aborted. */
export class PredictionLifecycle {
  readonly #options: LifecycleOptions;
  readonly #runs = new Map<string, Run>();

  constructor(options: LifecycleOptions) {
    this.#options = options;
  }

  /** Starts a freshly created prediction (status `starting`). */
  begin(record: PredictionRecord): void {
    this.#options.stats.statusChanged(undefined, record.status);
    this.#runs.set(record.id, { step: 0, waiters: new Set() });
    this.#options.webhooks.notify(record, 'start');
    this.#schedule(record, this.#options.startingMs, () => this.#startProcessing(record));
  }

  /** Cancels a running prediction; a finished one is left as it is, as Replicate does. */
  cancel(record: PredictionRecord): void {
    if (!TERMINAL_STATUSES.has(record.status)) this.#end(record, 'canceled');
  }

  /** Resolves when the prediction finishes or after `timeoutMs`, whichever is first (`Prefer: wait`). */
  waitUntilDone(record: PredictionRecord, timeoutMs: number): Promise<void> {
    const run = this.#runs.get(record.id);
    if (!run) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        run.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      run.waiters.add(done);
    });
  }

  /** Stops every timer and releases every waiting request. */
  close(): void {
    for (const run of this.#runs.values()) {
      clearTimeout(run.timer);
      for (const release of [...run.waiters]) release();
    }
    this.#runs.clear();
  }

  #schedule(record: PredictionRecord, delayMs: number, next: () => void): void {
    const run = this.#runs.get(record.id);
    if (!run) return;
    const { deadline } = record;
    if (deadline !== undefined && Date.now() + delayMs >= deadline) {
      run.timer = setTimeout(() => this.#end(record, record.status === 'starting' ? 'aborted' : 'canceled'), Math.max(0, deadline - Date.now()));
    } else {
      run.timer = setTimeout(next, delayMs);
    }
  }

  #setStatus(record: PredictionRecord, status: PredictionStatus): void {
    this.#options.stats.statusChanged(record.status, status);
    record.status = status;
  }

  #appendLog(record: PredictionRecord, line: string): void {
    record.logs += `${line}\n`;
    this.#options.webhooks.notify(record, 'logs');
  }

  #startProcessing(record: PredictionRecord): void {
    const run = this.#runs.get(record.id);
    if (!run) return;
    this.#setStatus(record, 'processing');
    record.startedAt = Date.now();
    if (!record.forcedError) {
      // Inputs are fetched and images made while the progress bar runs, so completion rarely waits for them.
      run.rendering = this.#options.renderer.render(record.plan).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    }
    record.logs += `${SIMULATED_LOG_LINE}\n`;
    if ('seed' in record.plan) record.logs += `Using seed: ${record.plan.seed}\n`;
    this.#appendLog(record, tqdmLine(0, this.#options.steps, 0));
    this.#schedule(record, this.#stepMs(), () => this.#step(record));
  }

  #stepMs(): number {
    return this.#options.processingMs / this.#options.steps;
  }

  #step(record: PredictionRecord): void {
    const run = this.#runs.get(record.id);
    if (!run) return;
    run.step++;
    this.#appendLog(record, tqdmLine(run.step, this.#options.steps, Date.now() - record.startedAt!));
    if (run.step < this.#options.steps) this.#schedule(record, this.#stepMs(), () => this.#step(record));
    else void this.#finish(record, run);
  }

  async #finish(record: PredictionRecord, run: Run): Promise<void> {
    run.timer = undefined;
    if (!run.rendering) {
      this.#fail(record, record.forcedError ?? 'Prediction failed');
      return;
    }
    const result = await run.rendering;
    if (this.#runs.get(record.id) !== run) return; // canceled or closed meanwhile
    if (result instanceof Error) {
      this.#fail(record, result.message);
      return;
    }
    const completedAt = Date.now();
    const expiresAt = completedAt + this.#options.outputTtlMs;
    const urls = result.map((file, i) => {
      const key = `${record.id}/out-${i}.${file.format}`;
      this.#options.outputs.put(key, { contentType: file.contentType, expiresAt, ...(file.bytes ? { bytes: file.bytes } : {}), ...(file.render ? { render: file.render } : {}) });
      return this.#options.outputUrl(key);
    });
    record.output = record.outputShape === 'list' ? urls : (urls[0] ?? null);
    this.#options.webhooks.notify(record, 'output');
    this.#end(record, 'succeeded', completedAt);
  }

  #fail(record: PredictionRecord, error: string): void {
    record.error = error;
    record.logs += `Error: ${error}\n`;
    this.#end(record, 'failed');
  }

  #end(record: PredictionRecord, status: PredictionStatus, completedAt = Date.now()): void {
    const run = this.#runs.get(record.id);
    if (run) clearTimeout(run.timer);
    this.#runs.delete(record.id);
    this.#setStatus(record, status);
    record.completedAt = completedAt;
    record.expiresAt = completedAt + this.#options.outputTtlMs;
    this.#options.webhooks.notify(record, 'completed');
    for (const release of [...(run?.waiters ?? [])]) release();
  }
}
