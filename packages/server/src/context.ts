import type { Action, BatchStore, BlobStore, GenerationService, GenerationStore, ModelSummary, OutboxStore, TokenStats } from '@dotbase/core';
import type { Storage } from 'unstorage';
import type { Auth } from './auth/setup.js';
import type { Principal } from './auth/types.js';
import type { Limits } from './config.js';
import type { ActiveGenerations } from './generations/active.js';
import type { GenerationEventLog } from './generations/event-log.js';
import type { GenerationAdmission } from './generations/admission.js';
import type { StreamSlots } from './generations/stream-slots.js';
import type { Idempotency } from './http/idempotency.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { Logger } from './log.js';
import type { createBatchBodySchema, createGenerationBodySchema } from './schemas.js';
import type { Ownership } from './uploads/ownership.js';
import type { Turns } from './limits/turns.js';
import type { DeliveryLog } from './webhooks/dedupe.js';
import type { OutgoingWebhooks } from './webhooks/outgoing/dispatcher.js';
import type { BatchScheduler } from './batches/scheduler.js';

/** The parts of a `createDotbase()` result the server uses. */
export interface DotbaseParts {
  service: GenerationService;
  registry: { summaries(action?: Action): ModelSummary[] };
  pool: { stats(): Promise<TokenStats[]>; setActive(tokenId: string, active: boolean): Promise<void> };
  blobs: BlobStore;
  store: Pick<GenerationStore, 'listUnfinished' | 'get' | 'activity' | 'users'>;
  /** Where the server keeps its own records (upload owners), under a `server` prefix. */
  storage: Storage;
  /** Outgoing webhooks waiting to be sent (default: in `storage`, under `outbox`, as `createDotbase` does). */
  outbox?: OutboxStore;
  /** Batches (default: in `storage`, under `batches`, as `createDotbase` does). */
  batches?: BatchStore;
}

/** Hono variables, set by `requireUser`: the authenticated caller, and the user id their data is stored under. */
export interface AppEnv {
  Variables: { principal: Principal; owner: string };
}

/** Everything the routes share, built once by `createServer`. */
export interface ServerContext {
  dotbase: DotbaseParts;
  auth: Auth;
  owners: Ownership;
  active: ActiveGenerations;
  /** Server-wide admission control of new generations (503 + Retry-After past capacity). */
  admission: GenerationAdmission;
  /** Each generation's changes, numbered: event ids and `Last-Event-ID` resumes. */
  events: GenerationEventLog;
  /** Open event streams per user (capped by `limits.maxStreamsPerUser`). */
  streams: StreamSlots;
  /** `Idempotency-Key` records, per user, in the server's storage. */
  idempotency: Idempotency;
  limiter: RateLimiter;
  /** One at a time per key (a user's uploads): in this process, and across instances with shared limits. */
  turns: Turns;
  limits: Limits;
  logger: Logger;
  mode: 'simulator' | 'replicate';
  version: string;
  publicUrl?: string;
  basePath: string;
  corsOrigins: string[];
  webhookSecret?: string;
  deliveries: DeliveryLog;
  /** Outgoing webhooks: target checks, per-user secrets, delivery records. */
  webhooks: OutgoingWebhooks;
  batches: BatchStore;
  /** Submits batch items in fair turns. */
  scheduler: BatchScheduler;
  batchBodySchema: ReturnType<typeof createBatchBodySchema>;
  heartbeatMs: number;
  /** Aborted when the server shuts down: live streams end. */
  shutdown?: AbortSignal;
  widgetDir?: string;
  /** Set when files are served by redirect to a short-lived link straight to the blob (S3 presigned URLs). */
  fileRedirect?: (key: string) => Promise<string>;
  createBodySchema: ReturnType<typeof createGenerationBodySchema>;
}
