/**
 * Contract test suites for dotbase's plug points. An implementation of your own (a Redis token-pool state, a
 * database-backed store) proves itself by running the same suite the built-in ones run. Imports vitest.
 *
 * @example
 * import { describeGenerationStoreContract } from '@dotbase/core/testing';
 * describeGenerationStoreContract('my-store', () => createMyStore());
 *
 * @module @dotbase/core/testing
 */
export { describeTokenPoolStateContract } from './tokens/state-contract.js';
export { describeBlobStoreContract } from './storage/blob-store-contract.js';
export { describeGenerationStoreContract, makeGenerationRecord } from './storage/generation-store-contract.js';
export { describeOutboxStoreContract, makeOutboxMessage } from './webhooks/outbox-store-contract.js';
export { describeBatchStoreContract, makeBatchRecord } from './batches/batch-store-contract.js';
export { describeRateLimitStoreContract, describeSlotStoreContract, describeSeenOnceStoreContract, type LimitFactory } from './limits/contract.js';
