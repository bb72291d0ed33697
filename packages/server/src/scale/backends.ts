import { join } from 'node:path';
import type { BatchStore, BlobStore, GenerationStore, OutboxStore, TokenPoolState } from '@dotbase/core';
import { atomicFsDriver, fsStorage } from '@dotbase/core/node';
import { createStorage, type Storage } from 'unstorage';
import type { SharedLimitStores } from '../limits/shared.js';
import type { Logger } from '../log.js';
import { loadScalePostgres, loadScaleRedis, loadScaleS3 } from '../optional-deps.js';
import type { ScaleConfig } from './config.js';

export interface Backends {
  storage: Storage;
  store?: GenerationStore;
  /** The store the generation service gets: it claims the generations this instance tracks (with `DATABASE_URL`). */
  serviceStore?: GenerationStore;
  blobs?: BlobStore;
  tokenState?: TokenPoolState;
  /** Outgoing webhooks' outbox, claimed per delivery across instances (with `DATABASE_URL`). */
  outbox?: OutboxStore;
  /** Batches and their items' queue, shared by every instance's scheduler (with `DATABASE_URL`). */
  batches?: BatchStore;
  /** Generation events between instances (with `DATABASE_URL`). */
  events?: import('@dotbase/scale/postgres').EventRelay;
  /** Per-user limits shared by the instances: on Redis with `REDIS_URL`, else on PostgreSQL with `DATABASE_URL`. */
  limits?: SharedLimitStores;
  /** A presigned link to a blob, when files are served by redirect. */
  signedUrl?: (key: string) => Promise<string>;
  /** Undo steps, to run newest first. */
  cleanups: Array<() => Promise<void>>;
}

/**
 * Opens what the configuration names: the embedded folder when nothing is set (exactly as before), else PostgreSQL
 * (migrated here), Redis and S3 as set. Each driver is loaded only when its variable is set, from `@dotbase/scale`
 * (an optional peer: when it is missing, the error says to install it).
 */
export async function openBackends(scale: ScaleConfig, dataDir: string, durability: 'sync' | 'os', logger: Logger): Promise<Backends> {
  const cleanups: Backends['cleanups'] = [];
  try {
    const backends = await open(scale, dataDir, durability, logger, cleanups);
    return { ...backends, cleanups };
  } catch (error) {
    for (const undo of cleanups.splice(0).reverse()) await undo().catch(() => undefined);
    throw error;
  }
}

async function open(scale: ScaleConfig, dataDir: string, durability: 'sync' | 'os', logger: Logger, cleanups: Backends['cleanups']): Promise<Omit<Backends, 'cleanups'>> {
  let storage: Storage;
  let store: GenerationStore | undefined;
  let serviceStore: GenerationStore | undefined;
  let tokenState: TokenPoolState | undefined;
  let sql: import('@dotbase/scale/postgres').Sql | undefined;
  let events: Backends['events'];
  let outbox: OutboxStore | undefined;
  let batches: BatchStore | undefined;
  if (scale.databaseUrl) {
    const postgres = await loadScalePostgres();
    sql = postgres.connectPostgres(scale.databaseUrl);
    const pool = sql;
    cleanups.push(() => pool.end({ timeout: 5 }));
    const { applied, version } = await postgres.migrate(sql).catch((error: unknown) => {
      throw new Error(`could not use the PostgreSQL database at DATABASE_URL (${whereIs(scale.databaseUrl as string)}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    logger.info('PostgreSQL schema ready', { version, applied });
    store = postgres.createPostgresGenerationStore(sql);
    const claiming = postgres.claimingStore(sql, store, scale.trackingLeaseMs ? { ttlMs: scale.trackingLeaseMs } : {});
    cleanups.push(() => claiming.close());
    serviceStore = claiming;
    outbox = postgres.createPostgresOutboxStore(sql);
    batches = postgres.createPostgresBatchStore(sql);
    const relay = postgres.createPostgresEventRelay(sql, { onError: (error) => logger.warn('generation events between instances failed', { error: String(error) }) });
    cleanups.push(() => relay.close());
    await relay.ready();
    events = relay;
    storage = createStorage({ driver: postgres.postgresKvDriver({ sql }) });
    // files without S3 stay on this machine (see scaleWarnings)
    if (!scale.s3) storage.mount('blobs', atomicFsDriver({ base: join(dataDir, 'blobs') }));
  } else {
    storage = fsStorage(dataDir, { durability });
    const embedded = storage;
    cleanups.push(() => embedded.dispose());
  }

  let limits: SharedLimitStores | undefined;
  let blobs: BlobStore | undefined;
  let signedUrl: Backends['signedUrl'];
  if (scale.s3) {
    const { createS3BlobStore } = await loadScaleS3();
    const s3 = createS3BlobStore(scale.s3);
    cleanups.push(async () => s3.close());
    blobs = s3;
    const seconds = scale.filesRedirectSeconds;
    if (seconds) signedUrl = (key) => s3.signedUrl(key, seconds);
  }

  if (scale.redisUrl) {
    const { connectRedis, createRedisLimits, createRedisTokenPoolState } = await loadScaleRedis();
    const redis = await connectRedis(scale.redisUrl);
    cleanups.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
    const state = createRedisTokenPoolState(redis);
    cleanups.push(() => state.close());
    tokenState = state;
    limits = { ...createRedisLimits(redis), engine: 'redis' };
    if (sql) {
      // the seed's operator SQL on replicate_tokens reaches the Redis state, and its counters come back
      const { mirrorTokenState } = await loadScalePostgres();
      const mirror = mirrorTokenState(sql, state, { onError: (error) => logger.warn('could not sync replicate_tokens with Redis', { error: String(error) }) });
      cleanups.push(async () => mirror.stop());
    }
  } else if (sql) {
    const { createPostgresLimits, createPostgresTokenPoolState } = await loadScalePostgres();
    const state = createPostgresTokenPoolState(sql);
    cleanups.push(() => state.close());
    tokenState = state;
    limits = { ...createPostgresLimits(sql), engine: 'postgres' };
  }
  if (limits) logger.info('per-user limits are shared by the instances', { engine: limits.engine });
  return { storage, ...(events ? { events } : {}), ...(outbox ? { outbox } : {}), ...(batches ? { batches } : {}), ...(store ? { store } : {}), ...(serviceStore ? { serviceStore } : {}), ...(blobs ? { blobs } : {}), ...(tokenState ? { tokenState } : {}), ...(signedUrl ? { signedUrl } : {}), ...(limits ? { limits } : {}) };
}

/** `host:port/database` of a connection URL: enough to tell which server failed, without its user or password. */
function whereIs(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}
