import type { FaultRule } from './http/faults.js';
import type { ImageFetch } from './images/load.js';
import { generateWebhookSecret } from './webhooks/sign.js';

/** How to start a simulator; every field is optional. */
export interface SimulatorOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Accepted Bearer tokens; undefined = accept any non-empty token. Others get 401. */
  tokens?: string[];
  /** Lifecycle timing: `starting` for startingMs, then `processing` over `steps` progress lines (defaults 200 / 1000 / 4). */
  timing?: { startingMs?: number; processingMs?: number; steps?: number };
  /** Outputs (URLs, and the prediction's output/input/logs) are deleted this long after completion (default 1 h). */
  outputTtlMs?: number;
  /** Per token; default 600 creates / 60 s, others 3000 / 60 s. */
  rateLimit?: { creates: number; windowMs: number; others?: number };
  /** Send Retry-After on 429 (default true); the body always carries Replicate's `~Ns` hint. */
  retryAfterHeader?: boolean;
  /** `whsec_<base64>`; generated when absent. */
  webhookSecret?: string;
  /** Waits before each webhook retry (default 250, 1000, 4000 ms: three retries). */
  webhookRetryDelaysMs?: number[];
  /** Scales generated image sizes down for benchmarks (default 1). */
  outputScale?: number;
  faults?: FaultRule[];
  /** Official-route models not in the catalog get a generic text-to-image model (default false → 404). */
  acceptUnknownModels?: boolean;
  /**
   * Fetches an http(s) image input that is not one of the simulator's own URLs. A server embedding the simulator
   * passes its SSRF-safe fetch here (dotbase passes `safeFetch`), so users' URLs are fetched under the same rules as
   * everything else it fetches. Default: `fetch` without following redirects, streamed under the size cap.
   */
  fetchImage?: ImageFetch;
  /** Memory bound: past this many stored predictions the oldest finished ones are forgotten (default 100 000). */
  maxStoredPredictions?: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  tokens: string[] | undefined;
  startingMs: number;
  processingMs: number;
  steps: number;
  outputTtlMs: number;
  createLimit: number;
  otherLimit: number;
  rateWindowMs: number;
  retryAfterHeader: boolean;
  webhookSecret: string;
  webhookRetryDelaysMs: number[];
  outputScale: number;
  faults: FaultRule[];
  acceptUnknownModels: boolean;
  maxStoredPredictions: number;
  fetchImage: ImageFetch | undefined;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`[dotbase-simulator] ${message}`);
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    tokens: options.tokens,
    startingMs: options.timing?.startingMs ?? 200,
    processingMs: options.timing?.processingMs ?? 1000,
    steps: options.timing?.steps ?? 4,
    outputTtlMs: options.outputTtlMs ?? 60 * 60 * 1000,
    createLimit: options.rateLimit?.creates ?? 600,
    otherLimit: options.rateLimit?.others ?? 3000,
    rateWindowMs: options.rateLimit?.windowMs ?? 60_000,
    retryAfterHeader: options.retryAfterHeader ?? true,
    webhookSecret: options.webhookSecret ?? generateWebhookSecret(),
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [250, 1000, 4000],
    outputScale: options.outputScale ?? 1,
    faults: options.faults ?? [],
    acceptUnknownModels: options.acceptUnknownModels ?? false,
    maxStoredPredictions: options.maxStoredPredictions ?? 100_000,
    fetchImage: options.fetchImage,
  };
  check(resolved.startingMs >= 0 && resolved.processingMs >= 0, 'timing must not be negative');
  check(Number.isInteger(resolved.steps) && resolved.steps >= 1, 'timing.steps must be a whole number ≥ 1');
  check(resolved.outputTtlMs > 0, 'outputTtlMs must be positive');
  check(resolved.createLimit >= 0 && resolved.otherLimit >= 0 && resolved.rateWindowMs > 0, 'rateLimit must be non-negative with a positive window');
  check(resolved.outputScale > 0 && resolved.outputScale <= 4, 'outputScale must be within (0, 4]');
  check(/^whsec_[A-Za-z0-9+/]+=*$/.test(resolved.webhookSecret), "webhookSecret must look like 'whsec_<base64>'");
  return resolved;
}
