import { createStorage, prefixStorage, type Storage } from 'unstorage';
import { createBatchStore } from './batches/batch-store.js';
import type { BatchStore } from './batches/types.js';
import { createGenerationService, type GenerationServiceOptions } from './generations/service.js';
import type { ImageTools } from './images/sniff.js';
import { createRegistry } from './models/registry.js';
import type { ModelDefinition } from './models/types.js';
import { createReplicateProvider } from './providers/replicate.js';
import type { DownloadFetch } from './providers/output-download.js';
import type { ImageProvider } from './providers/types.js';
import { createBlobStore } from './storage/blob-store.js';
import { createGenerationStore } from './storage/generation-store.js';
import type { BlobStore, GenerationStore } from './storage/types.js';
import { createTokenPool } from './tokens/pool.js';
import type { TokenBudget, TokenPoolState } from './tokens/types.js';
import { createOutboxStore } from './webhooks/outbox-store.js';
import type { OutboxStore } from './webhooks/types.js';

export interface DotbaseOptions {
  /** Replicate API tokens for the pool. */
  tokens: string[];
  /** Replicate's API base; a simulator's URL offline. */
  baseUrl?: string;
  /** Where records and images live; any unstorage instance (default: in memory). */
  storage?: Storage;
  /** Where generation records live (default: the embedded store on `storage`), e.g. a PostgreSQL store. */
  store?: GenerationStore;
  /** Where uploads and outputs live (default: on `storage`), e.g. an S3 bucket. */
  blobs?: BlobStore;
  /** Shared token-pool state for several processes (default: in memory). */
  tokenState?: TokenPoolState;
  /** Proactive per-token limit, e.g. `{ limit: 600, windowMs: 60_000 }` for Replicate's create limit. */
  budget?: TokenBudget;
  /** Your own models, next to the 19 seed entries. */
  models?: ModelDefinition[];
  provider?: ImageProvider;
  /** Outgoing webhooks waiting to be delivered (default: in `storage`, next to the generations). */
  outbox?: OutboxStore;
  /** Batches of generations (default: in `storage`). */
  batches?: BatchStore;
  fetch?: typeof fetch;
  /** Fetches outputs; on Node pass `safeFetch` from `@dotbase/core/node` (see `ReplicateProviderOptions.downloadFetch`). */
  downloadFetch?: DownloadFetch;
  /** Hosts outputs may come from besides Replicate's delivery hosts and the host of `baseUrl` (see `ReplicateProviderOptions.outputHosts`). */
  outputHosts?: readonly string[];
  imageTools?: ImageTools;
  service?: Pick<GenerationServiceOptions, 'pollIntervalMs' | 'webhookUrl' | 'inlineMaxBytes' | 'publicFileUrl' | 'maxTrackingMs' | 'pollConcurrency' | 'now' | 'checkInputUrl'>;
}

/**
 * Wires registry, token pool, provider, storage and the generation service together with sensible defaults.
 *
 * @example
 * const dotbase = createDotbase({ tokens: ['r8_…'], storage: fsStorage('./.data') });
 * await dotbase.service.start();
 * const generation = await dotbase.service.create('me', { action: 'create', model_id: 'flux-schnell', prompt: 'a fox' });
 */
export function createDotbase(options: DotbaseOptions) {
  const storage = options.storage ?? createStorage();
  const registry = createRegistry();
  for (const model of options.models ?? []) registry.register(model);
  const pool = createTokenPool({
    tokens: options.tokens,
    ...(options.tokenState ? { state: options.tokenState } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
  });
  const provider =
    options.provider ??
    createReplicateProvider({
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.downloadFetch ? { downloadFetch: options.downloadFetch } : {}),
      ...(options.outputHosts ? { outputHosts: options.outputHosts } : {}),
    });
  const blobs = options.blobs ?? createBlobStore(prefixStorage(storage, 'blobs'));
  const store = options.store ?? createGenerationStore(prefixStorage(storage, 'generations'));
  const outbox = options.outbox ?? createOutboxStore(prefixStorage(storage, 'outbox'));
  const batches = options.batches ?? createBatchStore(prefixStorage(storage, 'batches'));
  const service = createGenerationService({
    registry,
    pool,
    provider,
    store,
    blobs,
    ...(options.imageTools ? { imageTools: options.imageTools } : {}),
    ...options.service,
    async beforeStore(record) {
      // before the record exists: every later status of it is covered by the outbox's reconciliation at start
      if (record.webhook) await outbox.watch(record.id);
    },
  });
  return { registry, pool, provider, blobs, store, outbox, batches, service, storage };
}

export type Dotbase = ReturnType<typeof createDotbase>;
