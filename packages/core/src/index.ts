/**
 * @dotbase/core — runtime-agnostic AI image generation on Replicate.
 * No `node:` imports here: Node-only helpers live in `@dotbase/core/node`.
 *
 * @module @dotbase/core
 */
export * from './errors.js';
export * from './models/types.js';
export { createRegistry, normalizeOutput, type Registry } from './models/registry.js';
export { seedModels } from './models/seed/index.js';
export { defineModel } from './models/define.js';
export { takesImages, noImages, oneImage } from './models/rules.js';
/** Reusable zod pieces for the unified settings, for models of your own. */
export * as unified from './models/unified.js';
export * from './tokens/types.js';
export { createTokenPool, type TokenPool, type TokenPoolOptions, type Lease } from './tokens/pool.js';
export { createMemoryTokenPoolState } from './tokens/memory-state.js';
export { tokenIdFor } from './tokens/token-id.js';
export * from './limits/types.js';
export { createMemoryRateLimitStore, createMemorySlotStore, createMemorySeenOnceStore } from './limits/memory.js';
export * from './storage/types.js';
export { reasonOf as failureReasonOf } from './storage/activity-log.js';
export { createBlobStore } from './storage/blob-store.js';
export { checkBlobListing, isBlobKey, newBlobKey, outputBlobKey, parseBlobKey } from './storage/blob-keys.js';
export { createGenerationStore, type GenerationStoreOptions } from './storage/generation-store.js';
export { checkGenerationRecord, checkListQuery } from './storage/generation-checks.js';
export { keySegmentLength } from './storage/key-segment.js';
export * from './providers/types.js';
export { createReplicateProvider, DEFAULT_REPLICATE_BASE_URL, type ReplicateProviderOptions } from './providers/replicate.js';
export {
  createOutputDownloader,
  portableDownloadFetch,
  REPLICATE_DELIVERY_HOSTS,
  type DownloadFetch,
  type DownloadFetchOptions,
  type DownloadFetchResponse,
  type OutputDownloaderOptions,
} from './providers/output-download.js';
export { parseRetryAfter } from './providers/http-errors.js';
export * from './webhooks/types.js';
export { createOutboxStore } from './webhooks/outbox-store.js';
export * from './batches/types.js';
export { createBatchStore } from './batches/batch-store.js';
export * from './generations/types.js';
export { createGenerationService, type GenerationServiceOptions } from './generations/service.js';
export { progressFromLogs } from './generations/progress.js';
export { isBlobRef } from './generations/inputs.js';
export { sniffImageType, IMAGE_TYPES, type ImageType, type ImageTools } from './images/sniff.js';
export { createDotbase, type Dotbase, type DotbaseOptions } from './dotbase.js';
