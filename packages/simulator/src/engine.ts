import { createCatalog, type Catalog } from './catalog/index.js';
import { FaultBook } from './http/faults.js';
import { RateLimiter } from './http/rate-limiter.js';
import { TokenRegistry } from './http/tokens.js';
import { createRenderer } from './images/renderer.js';
import type { ResolvedOptions } from './options.js';
import { PredictionLifecycle } from './predictions/lifecycle.js';
import { toPredictionJson } from './predictions/serialize.js';
import { PredictionStore } from './predictions/store.js';
import { StatsCollector } from './stats.js';
import { BlobStore } from './storage/blob-store.js';
import { FileStore } from './storage/file-store.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

const INPUT_FETCH_TIMEOUT_MS = 30_000;
const MAX_INPUT_BYTES = 100 * 1024 * 1024;
const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;
const RENDER_CACHE_BYTES = 256 * 1024 * 1024;
/** Finished predictions stay readable (as `data_removed`) this long after their data expired. */
const RETENTION_AFTER_EXPIRY_MS = 10 * 60 * 1000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0']);

/** Where the simulator listens; known once the server is bound. */
export interface Address {
  origin: string;
  /** `${origin}/v1` */
  apiBase: string;
  port: string;
}

/** All simulator state, shared by the routes. Created before the server listens; `bind` sets its address. */
export class Engine {
  readonly options: ResolvedOptions;
  readonly catalog: Catalog;
  readonly tokens: TokenRegistry;
  readonly faults: FaultBook;
  readonly createLimiter: RateLimiter;
  readonly otherLimiter: RateLimiter;
  readonly stats = new StatsCollector();
  readonly predictions: PredictionStore;
  readonly outputs = new BlobStore(MAX_OUTPUT_BYTES);
  readonly files = new FileStore();
  readonly webhooks: WebhookDispatcher;
  readonly lifecycle: PredictionLifecycle;
  address: Address = { origin: '', apiBase: '', port: '' };
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.catalog = createCatalog({ acceptUnknownModels: options.acceptUnknownModels });
    this.tokens = new TokenRegistry(options.tokens);
    this.faults = new FaultBook(options.faults);
    this.createLimiter = new RateLimiter(options.createLimit, options.rateWindowMs);
    this.otherLimiter = new RateLimiter(options.otherLimit, options.rateWindowMs);
    this.predictions = new PredictionStore({ retentionMs: RETENTION_AFTER_EXPIRY_MS, maxPredictions: options.maxStoredPredictions });
    this.webhooks = new WebhookDispatcher({
      secret: options.webhookSecret,
      retryDelaysMs: options.webhookRetryDelaysMs,
      serialize: (record) => JSON.stringify(toPredictionJson(record, this.address.apiBase, Date.now())),
      onDelivered: () => this.stats.webhook('delivered'),
      onFailed: () => this.stats.webhook('failed'),
    });
    const renderer = createRenderer({
      outputScale: options.outputScale,
      renderCacheBytes: RENDER_CACHE_BYTES,
      fetchTimeoutMs: INPUT_FETCH_TIMEOUT_MS,
      maxBytes: MAX_INPUT_BYTES,
      resolveLocal: (url) => this.#resolveLocal(url),
      ...(options.fetchImage ? { fetchImage: options.fetchImage } : {}),
    });
    this.lifecycle = new PredictionLifecycle({
      startingMs: options.startingMs,
      processingMs: options.processingMs,
      steps: options.steps,
      outputTtlMs: options.outputTtlMs,
      renderer,
      outputs: this.outputs,
      outputUrl: (key) => `${this.address.origin}/outputs/${key}`,
      stats: this.stats,
      webhooks: this.webhooks,
    });
    // Memory is freed on a slow beat; expiry itself is checked on every read.
    const sweepEveryMs = Math.min(60_000, Math.max(1000, options.outputTtlMs / 2));
    this.#sweeper = setInterval(() => this.sweep(Date.now()), sweepEveryMs);
    this.#sweeper.unref();
  }

  bind(origin: string, port: number): void {
    this.address = { origin, apiBase: `${origin}/v1`, port: String(port) };
  }

  sweep(now: number): void {
    this.predictions.sweep(now);
    this.outputs.sweep(now);
    this.files.sweep(now);
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.lifecycle.close();
    this.webhooks.close();
  }

  /** The simulator's own file and output URLs are read from memory, not over HTTP (file URLs need no token then). */
  async #resolveLocal(url: URL): Promise<Buffer | 'missing' | undefined> {
    const ownHost = LOOPBACK_HOSTS.has(url.hostname) || url.hostname === this.options.host;
    if (url.port !== this.address.port || !ownHost) return undefined;
    const now = Date.now();
    const file = /^\/v1\/files\/([^/]+)$/.exec(url.pathname);
    if (file) return this.files.get(file[1]!, now)?.bytes ?? 'missing';
    const output = /^\/outputs\/(.+)$/.exec(url.pathname);
    if (output) return (await this.outputs.read(output[1]!, now))?.bytes ?? 'missing';
    return undefined;
  }
}
