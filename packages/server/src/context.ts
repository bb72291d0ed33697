import type { Action, BlobStore, GenerationService, GenerationStore, ModelSummary, TokenStats } from '@dotbase/core';
import type { Storage } from 'unstorage';
import type { Auth } from './auth/setup.js';
import type { Principal } from './auth/types.js';
import type { Limits } from './config.js';
import type { ActiveGenerations } from './generations/active.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { Logger } from './log.js';
import type { createGenerationBodySchema } from './schemas.js';
import type { Ownership } from './uploads/ownership.js';
import type { DeliveryLog } from './webhooks/dedupe.js';

/** The parts of a `createDotbase()` result the server uses. */
export interface DotbaseParts {
  service: GenerationService;
  registry: { summaries(action?: Action): ModelSummary[] };
  pool: { stats(): Promise<TokenStats[]>; setActive(tokenId: string, active: boolean): Promise<void> };
  blobs: BlobStore;
  store: Pick<GenerationStore, 'listUnfinished' | 'get'>;
  /** Where the server keeps its own records (upload owners), under a `server` prefix. */
  storage: Storage;
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
  limiter: RateLimiter;
  limits: Limits;
  logger: Logger;
  mode: 'simulator' | 'replicate';
  version: string;
  publicUrl?: string;
  basePath: string;
  corsOrigins: string[];
  webhookSecret?: string;
  deliveries: DeliveryLog;
  heartbeatMs: number;
  /** Aborted when the server shuts down: live streams end. */
  shutdown?: AbortSignal;
  widgetDir?: string;
  /** Set when files are served by redirect to a short-lived link straight to the blob (S3 presigned URLs). */
  fileRedirect?: (key: string) => Promise<string>;
  createBodySchema: ReturnType<typeof createGenerationBodySchema>;
}
