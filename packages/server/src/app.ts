import { prefixStorage } from 'unstorage';
import { Hono } from 'hono';
import { createAuth, type AuthOptions } from './auth/setup.js';
import { DEFAULT_LIMITS, type Limits } from './config.js';
import type { AppEnv, DotbaseParts, ServerContext } from './context.js';
import { createActiveGenerations } from './generations/active.js';
import { apiCors } from './http/cors.js';
import { errorResponse } from './http/errors.js';
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
import { createGenerationBodySchema } from './schemas.js';
import { createOwnership } from './uploads/ownership.js';
import { createDeliveryLog } from './webhooks/dedupe.js';

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
  /** `whsec_…`: enables `POST /api/webhooks/replicate`. */
  webhookSecret?: string;
  limits?: Partial<Limits>;
  /** Folder of the widget build (`dotbase-studio.iife.js`, `dotbase-studio.js`); unset → 404 with a hint. */
  widgetDir?: string;
  logger?: Logger;
  /** SSE heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  /** Abort it when shutting down: live event streams end at once instead of holding connections open. */
  shutdown?: AbortSignal;
  /** Answer `GET /files/<key>` with a redirect to this URL (e.g. a presigned S3 link) instead of the bytes. */
  fileRedirect?: (key: string) => Promise<string>;
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
  const owners = createOwnership(prefixStorage(options.dotbase.storage, 'server'));
  const active = createActiveGenerations(options.dotbase.service);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');

  // Outputs become the owner's, so they can feed them into their next generation (create → upscale) and nobody else can.
  options.dotbase.service.subscribe((event) => {
    if (event.status !== 'completed') return;
    for (const key of event.record.output_keys) {
      owners.claim(event.user_id, key).catch((error: unknown) => logger.error('recording output owner failed', { key, error: String(error) }));
    }
  });

  const ctx: ServerContext = {
    dotbase: options.dotbase,
    auth: createAuth(options.auth),
    owners,
    active,
    limiter: createRateLimiter({ perMinute: limits.requestsPerMinute }),
    limits,
    logger,
    mode: options.mode,
    version: options.version ?? '0.0.0',
    ...(options.publicUrl ? { publicUrl: options.publicUrl.replace(/\/+$/, '') } : {}),
    basePath,
    corsOrigins: options.corsOrigins ?? [],
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    deliveries: createDeliveryLog(),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    ...(options.shutdown ? { shutdown: options.shutdown } : {}),
    ...(options.widgetDir ? { widgetDir: options.widgetDir } : {}),
    ...(options.fileRedirect ? { fileRedirect: options.fileRedirect } : {}),
    createBodySchema: createGenerationBodySchema(limits.maxPromptLength),
  };

  const app = new Hono<AppEnv>();
  app.onError((error, c) => {
    const answer = errorResponse(error);
    if (answer.unexpected) {
      logger.error('request failed', { method: c.req.method, path: c.req.path, status: answer.status, error: error.name, message: error.message });
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
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(c.get('principal') ? { user: c.get('principal').id } : {}),
    });
  });
  app.use('/api/*', apiCors(ctx.corsOrigins, ctx.publicUrl ? new URL(ctx.publicUrl).origin : undefined));

  for (const routes of [
    healthRoutes(ctx),
    authRoutes(ctx),
    modelRoutes(ctx),
    generationRoutes(ctx),
    uploadRoutes(ctx),
    fileRoutes(ctx),
    webhookRoutes(ctx),
    adminRoutes(ctx),
    openApiRoutes(ctx),
    widgetRoutes(ctx),
  ]) {
    app.route('/', routes);
  }
  return app;
}
