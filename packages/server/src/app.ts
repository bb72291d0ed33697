import { createBatchStore, createOutboxStore, isDotbaseError, type BatchStore } from '@dotbase/core';
import { prefixStorage } from 'unstorage';
import { Hono } from 'hono';
import { createAuth, type AuthOptions } from './auth/setup.js';
import { DEFAULT_LIMITS, type Limits } from './config.js';
import type { AppEnv, DotbaseParts, ServerContext } from './context.js';
import { createActiveGenerations } from './generations/active.js';
import { createGenerationAdmission } from './generations/admission.js';
import { createMemoryEventLog, type GenerationEventLog } from './generations/event-log.js';
import { createStreamSlots } from './generations/stream-slots.js';
import { createSharedStreamSlots } from './generations/shared-stream-slots.js';
import { createSharedActiveGenerations } from './generations/shared-active.js';
import { createHeldSlots } from './limits/held-slots.js';
import type { SharedLimitStores } from './limits/shared.js';
import { createTurns } from './limits/turns.js';
import { apiCors } from './http/cors.js';
import { DAMAGE_RECOVERY, errorResponse } from './http/errors.js';
import { loopbackHostsOnly } from './http/host-check.js';
import { loggablePath, withoutFileKeys } from './http/redact.js';
import { createIdempotency } from './http/idempotency.js';
import { createRateLimiter } from './http/rate-limit.js';
import { silentLogger, type Logger } from './log.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { fileRoutes } from './routes/files.js';
import { generationRoutes } from './routes/generations.js';
import { healthRoutes } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { openApiRoutes } from './routes/openapi.js';
import { uploadRoutes } from './routes/uploads.js';
import { webhookRoutes } from './routes/webhooks.js';
import { widgetRoutes } from './routes/widget.js';
import { createBatchBodySchema, createGenerationBodySchema } from './schemas.js';
import { createOwnership } from './uploads/ownership.js';
import { createDeliveryLog } from './webhooks/dedupe.js';
import { defaultWidgetDir } from './widget-dir.js';
import { createOutgoingWebhooks, type OutgoingWebhooks } from './webhooks/outgoing/dispatcher.js';
import { createWebhookSecrets } from './webhooks/outgoing/secrets.js';
import { outgoingWebhookRoutes } from './routes/outgoing-webhooks.js';
import { batchRoutes } from './routes/batches.js';
import { createBatchScheduler, type BatchScheduler } from './batches/scheduler.js';

export interface ServerOptions {
  /** A `createDotbase()` result (or the same parts): service, registry, pool, blobs, store and storage. */
  dotbase: DotbaseParts;
  /** Shown by `/api/health`: whether this talks to the built-in simulator or to Replicate. */
  mode: 'simulator' | 'replicate';
  auth: AuthOptions;
  version?: string;
  /** The public base URL (absolute file URLs, Secure cookies). Default: each request's own origin. */
  publicUrl?: string;
  /** The path this app is mounted under in a parent app (e.g. `/dotbase`), for URLs and the cookie path. */
  basePath?: string;
  /** Origins besides the server's own that may call the API from a browser. */
  corsOrigins?: string[];
  /**
   * Which Host headers are answered. `loopback` (the default when `auth.anonymous`): only localhost, 127.x.x.x,
   * [::1] and the public URL's host, which stops DNS rebinding from reaching an unauthenticated server. `any`:
   * every host (the default with authentication, where a rebound page has no credentials).
   */
  allowedHosts?: 'loopback' | 'any';
  /** `whsec_…`: enables `POST /api/webhooks/replicate`. */
  webhookSecret?: string;
  limits?: Partial<Limits>;
  /**
   * Folder of the widget build (`dotbase-studio.iife.js`, `dotbase-studio.js`). Default: the build of the
   * `@dotbase/widget` package installed with this server.
   */
  widgetDir?: string;
  logger?: Logger;
  /**
   * Each generation's changes, numbered, for event ids and `Last-Event-ID` resumes: `startServer` passes the
   * PostgreSQL relay with `DATABASE_URL`. Default: a log of this process's changes, in memory.
   */
  events?: GenerationEventLog;
  /** SSE heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  /** Abort it when shutting down: live event streams end at once instead of holding connections open. */
  shutdown?: AbortSignal;
  /** Answer `GET /files/<key>` with a redirect to this URL (e.g. a presigned S3 link) instead of the bytes. */
  fileRedirect?: (key: string) => Promise<string>;
  /**
   * Outgoing webhooks, already started (`startServer` makes them before resuming generations, so no change is
   * missed). Default: made here over `dotbase.storage`, started now and stopped on `shutdown`.
   */
  webhooks?: OutgoingWebhooks;
  /** For the default `webhooks`: hosts besides public https ones that webhooks may target. */
  webhookAllowedHosts?: string[];
  /**
   * Batch items' scheduler, already started after the service (`startServer` does). Default: made here, started
   * now (queueing the batch items a previous run left) and stopped on `shutdown`.
   */
  scheduler?: BatchScheduler;
  /**
   * Where per-user limits count when several instances serve one deployment (rate limit, open event streams,
   * running generations, upload turns, seen webhook ids): `startServer` passes Redis's or PostgreSQL's. Default:
   * this process's memory.
   */
  sharedLimits?: SharedLimitStores;
}

/** The batch scheduler, for an app made without `startServer`. */
function defaultScheduler(options: ServerOptions, batches: BatchStore, limits: Limits, logger: Logger): BatchScheduler {
  const scheduler = createBatchScheduler({
    service: options.dotbase.service,
    store: options.dotbase.store,
    batches,
    perUser: limits.batchConcurrencyPerUser,
    total: limits.batchConcurrency,
    logger,
  });
  scheduler.start().catch((error: unknown) => logger.error('batch items not resumed', { error: String(error) }));
  options.shutdown?.addEventListener('abort', () => void scheduler.stop(), { once: true });
  return scheduler;
}

/** Outgoing webhooks over the parts' storage, for an app made without `startServer`. */
function defaultWebhooks(options: ServerOptions, logger: Logger): OutgoingWebhooks {
  const { dotbase } = options;
  const webhooks = createOutgoingWebhooks({
    service: dotbase.service,
    outbox: dotbase.outbox ?? createOutboxStore(prefixStorage(dotbase.storage, 'outbox')),
    store: dotbase.store,
    secrets: createWebhookSecrets(prefixStorage(dotbase.storage, 'server:webhooks')),
    allowedHosts: options.webhookAllowedHosts ?? [],
    baseUrl: () => options.publicUrl ?? 'http://localhost',
    logger,
  });
  webhooks.start();
  options.shutdown?.addEventListener('abort', () => void webhooks.stop(), { once: true });
  return webhooks;
}

/**
 * The dotbase HTTP API as a Hono app: mount it in your own app or serve it with `startServer`.
 *
 * @example
 * const dotbase = createDotbase({ tokens, storage: fsStorage('./.data') });
 * await dotbase.service.start();
 * const app = createServer({ dotbase, mode: 'replicate', auth: { secret, apiKeys: [{ user: 'backend', key }] } });
 * parent.route('/dotbase', createServer({ ...options, basePath: '/dotbase' }));
 */
export function createServer(options: ServerOptions): Hono<AppEnv> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger ?? silentLogger;
  const serverStorage = prefixStorage(options.dotbase.storage, 'server');
  const owners = createOwnership(serverStorage);
  const shared = options.sharedLimits;
  const held = shared ? createHeldSlots(shared.slots, { logger, ...(options.shutdown ? { shutdown: options.shutdown } : {}) }) : undefined;
  const active = held ? createSharedActiveGenerations(options.dotbase.service, held) : createActiveGenerations(options.dotbase.service);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const batches = options.dotbase.batches ?? createBatchStore(prefixStorage(options.dotbase.storage, 'batches'));

  // Outputs become the owner's, so they can feed them into their next generation (create → upscale) and nobody else can.
  options.dotbase.service.subscribe((event) => {
    if (event.status !== 'completed') return;
    for (const key of event.record.output_keys) {
      // the key is the file's only protection: the log names the generation instead
      owners.claim(event.user_id, key).catch((error: unknown) => logger.error('recording output owner failed', { generation: event.id, error: String(error) }));
    }
  });

  const ctx: ServerContext = {
    dotbase: options.dotbase,
    auth: createAuth(options.auth, serverStorage),
    owners,
    active,
    admission: createGenerationAdmission(options.dotbase.service, {
      limit: limits.maxInFlight,
      maxQueue: limits.admissionQueue,
      maxWaitMs: limits.admissionWaitMs,
      targetLagMs: limits.admissionTargetLagMs,
      ...(options.shutdown ? { shutdown: options.shutdown } : {}),
    }),
    events: options.events ?? createMemoryEventLog(options.dotbase.service),
    streams: held ? createSharedStreamSlots(held) : createStreamSlots(),
    idempotency: createIdempotency(serverStorage),
    limiter: shared ? createRateLimiter({ perMinute: limits.requestsPerMinute, store: shared.rate }) : createRateLimiter({ perMinute: limits.requestsPerMinute }),
    turns: createTurns(held),
    limits,
    logger,
    mode: options.mode,
    version: options.version ?? '0.0.0',
    ...(options.publicUrl ? { publicUrl: options.publicUrl.replace(/\/+$/, '') } : {}),
    basePath,
    corsOrigins: options.corsOrigins ?? [],
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    deliveries: shared ? createDeliveryLog({ store: shared.seen }) : createDeliveryLog(),
    webhooks: options.webhooks ?? defaultWebhooks(options, logger),
    batches,
    // the scheduler claims items in the same store the routes queue them in (the embedded one keeps its queue in memory)
    scheduler: options.scheduler ?? defaultScheduler(options, batches, limits, logger),
    batchBodySchema: createBatchBodySchema(limits.maxPromptLength),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    ...(options.shutdown ? { shutdown: options.shutdown } : {}),
    widgetDir: options.widgetDir ?? defaultWidgetDir(),
    ...(options.fileRedirect ? { fileRedirect: options.fileRedirect } : {}),
    createBodySchema: createGenerationBodySchema(limits.maxPromptLength),
  };

  const app = new Hono<AppEnv>();
  // a damaged record fails every request that reads it: one log line per damaged value, not one per request
  const damageLogged = new Set<string>();
  app.onError((error, c) => {
    const answer = errorResponse(error);
    if (isDotbaseError(error, 'storage_damaged')) {
      // bounded: a file with millions of damaged values must not grow this set without end
      if (!damageLogged.has(error.message) && damageLogged.size < 10_000) {
        damageLogged.add(error.message);
        logger.error('stored data is damaged', { path: loggablePath(c.req.path), message: error.message, recovery: DAMAGE_RECOVERY });
      }
    } else if (answer.unexpected) {
      logger.error('request failed', { method: c.req.method, path: loggablePath(c.req.path), status: answer.status, error: error.name, message: withoutFileKeys(error.message) });
    }
    return c.json(answer.body, answer.status, answer.headers);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.use('*', async (c, next) => {
    const started = performance.now();
    // set before the handler runs: headers added to a finished response make Node's adapter rebuild it
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    await next();
    logger.info('request', {
      method: c.req.method,
      path: loggablePath(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(c.get('principal') ? { user: c.get('principal').id } : {}),
    });
  });
  if ((options.allowedHosts ?? (options.auth.anonymous ? 'loopback' : 'any')) === 'loopback') {
    app.use('*', loopbackHostsOnly(ctx.publicUrl ? [new URL(ctx.publicUrl).host] : []));
  }
  app.use('/api/*', apiCors(ctx.corsOrigins, ctx.publicUrl ? new URL(ctx.publicUrl).origin : undefined));

  for (const routes of [
    healthRoutes(ctx),
    authRoutes(ctx),
    modelRoutes(ctx),
    generationRoutes(ctx),
    uploadRoutes(ctx),
    fileRoutes(ctx),
    webhookRoutes(ctx),
    outgoingWebhookRoutes(ctx),
    batchRoutes(ctx),
    adminRoutes(ctx),
    openApiRoutes(ctx),
    widgetRoutes(ctx),
  ]) {
    app.route('/', routes);
  }
  return app;
}
