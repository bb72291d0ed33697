/**
 * dotbase on PostgreSQL: the generation store, the token-pool state, the webhook outbox, batches, shared per-user
 * limits and the schema's migrations. Loaded only when `DATABASE_URL` is set.
 *
 * @module @dotbase/scale/postgres
 */
export { connectPostgres, type PostgresOptions, type Sql } from './connect.js';
export { migrate, MIGRATIONS, type Migration, type MigrationReport } from './migrations.js';
export { createPostgresGenerationStore } from './generation-store.js';
export { createPostgresTokenPoolState, type PostgresTokenPoolStateOptions } from './token-pool-state.js';
export type { SharedTokenPoolState } from '../tokens/shared-state.js';
export { mirrorTokenState, type TokenMirror, type TokenMirrorOptions } from './token-mirror.js';
export { KV_CONFLICT, postgresKvDriver } from './kv-driver.js';
export { createPostgresEventRelay, type EventRelay, type EventRelayOptions, type SequencedGenerationEvent } from './event-relay.js';
export { claimingStore, type ClaimingStore } from './claiming-store.js';
export { createPostgresOutboxStore } from './outbox-store.js';
export { createPostgresBatchStore } from './batch-store.js';
export { createPostgresLimits } from './limits.js';
