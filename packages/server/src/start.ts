import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { setMaxListeners } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import { createDotbase, type Dotbase } from '@dotbase/core';
import { prefixStorage } from 'unstorage';
import { checkPublicUrl, createApiFetch, hostRuleOf, safeFetch, sharpImageTools } from '@dotbase/core/node';
import type { RunningSimulator, SimulatorOptions } from '@dotbase/simulator';
import { createServer } from './app.js';
import { loadConfig, type ServerConfig } from './config.js';
import { jsonLogger, type Logger } from './log.js';
import { isLoopbackHost } from './net/loopback.js';
import { loadSharp } from './optional-deps.js';
import { openBackends } from './scale/backends.js';
import { readScaleConfig, scaleWarnings } from './scale/config.js';
import { withRelayedEvents } from './scale/relayed-events.js';
import { verifyStoreAtStart } from './verify-store.js';
import { loadOrCreateSecret } from './secret.js';
import { startInProcessSimulator } from './simulator/in-process.js';
import { packageVersion } from './version.js';
import { fetchWebhookSecret } from './webhooks/default-secret.js';
import { createOutgoingWebhooks, type OutgoingWebhooksOptions } from './webhooks/outgoing/dispatcher.js';
import { createWebhookSecrets } from './webhooks/outgoing/secrets.js';
import { createBatchScheduler } from './batches/scheduler.js';

export interface StartOptions {
  /** Environment to read the configuration from (default `process.env`); ignored when `config` is given. */
  env?: Record<string, string | undefined>;
  config?: ServerConfig;
  /** Base for a relative `DOTBASE_DATA_DIR` (default `process.cwd()`). */
  cwd?: string;
  logger?: Logger;
  /** Options for the in-process simulator (offline mode only), e.g. faster `timing` in tests. */
  simulator?: Omit<SimulatorOptions, 'tokens' | 'port' | 'host'>;
  /** Generation service tuning, e.g. a shorter `pollIntervalMs` in tests. */
  service?: { pollIntervalMs?: number };
  widgetDir?: string;
  heartbeatMs?: number;
  /** Outgoing webhook tuning, e.g. a retry schedule of milliseconds in tests (default: 5 s doubling, for 24 h). */
  webhooks?: Pick<OutgoingWebhooksOptions, 'schedule' | 'pollMs' | 'timeoutMs'>;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  mode: 'simulator' | 'replicate';
  config: ServerConfig;
  dotbase: Dotbase;
  /** The in-process simulator in offline mode. */
  simulator?: RunningSimulator;
  /** Stops taking requests, lets running ones finish (a few seconds at most), stops the service. */
  close(): Promise<void>;
}

/** The server's connections that have not sent a request yet; kept up to date as they do and as they close. */
function trackUnusedConnections(server: Server): ReadonlySet<Socket> {
  const unused = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  return unused;
}

/** Running requests get this long to finish on shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 3000;

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/**
 * Requests Node can parse but that are no valid URL (a Host of `a b`, a backslash in the path) never reach the app;
 * they still get the JSON error shape.
 */
function malformedRequest(error: unknown): Response {
  const answer =
    error instanceof RequestError
      ? { status: 400, code: 'bad_request', message: `malformed request: ${error.message}` }
      : { status: 500, code: 'internal', message: 'internal error' };
  return Response.json({ error: { code: answer.code, message: answer.message } }, { status: answer.status });
}

/** Replicate (or the in-process simulator) and the generation service, started. */
async function startBackend(config: ServerConfig, options: StartOptions, logger: Logger, secret: string, cleanups: Cleanups) {
  const scale = readScaleConfig(options.env ?? process.env);
  for (const warning of scaleWarnings(scale, config.secret !== undefined)) logger.warn(warning);
  let simulator: RunningSimulator | undefined;
  let tokens = config.replicate.tokens;
  let baseUrl = config.replicate.baseUrl;
  let webhookSecret = config.replicate.webhookSecret;
  const mode = tokens.length === 0 ? 'simulator' : 'replicate';
  if (mode === 'simulator') {
    ({ simulator, tokens } = await startInProcessSimulator(secret, {
      // users' image URLs are fetched by this process: under the same SSRF rules as everything else it fetches
      fetchImage: (url, limits) => safeFetch(url, limits),
      ...options.simulator,
    }));
    cleanups.push(simulator.close);
    baseUrl = simulator.url;
    webhookSecret ??= simulator.webhookSecret;
    logger.info('no REPLICATE_API_TOKENS set: running the built-in Replicate simulator (images are synthetic)', { simulator: simulator.origin, tokens: tokens.length });
  }

  // Webhooks need a URL Replicate can reach; without one, polling alone follows predictions.
  if (config.publicUrl && !webhookSecret && tokens[0]) {
    webhookSecret = (await fetchWebhookSecret(tokens[0], baseUrl)) ?? undefined;
    if (!webhookSecret) logger.warn('could not fetch the Replicate webhook secret; set REPLICATE_WEBHOOK_SECRET to use webhooks. Polling only.');
  }
  const webhookUrl = config.publicUrl && webhookSecret ? `${config.publicUrl}/api/webhooks/replicate` : undefined;
  const publicUrl = config.publicUrl;
  // the embedded folder unless DATABASE_URL, REDIS_URL or DOTBASE_S3_BUCKET say otherwise (see docs/scaling.md)
  const backends = await openBackends(scale, config.dataDir, config.durability, logger);
  cleanups.push(...backends.cleanups);
  const { storage, store, serviceStore, blobs, tokenState, outbox, batches } = backends;
  // Replicate's API base, when not Replicate's own (a proxy, a simulator), is trusted with http and its address.
  const trustedHosts = baseUrl ? [hostRuleOf(baseUrl)] : [];
  const created = createDotbase({
    tokens,
    ...(baseUrl ? { baseUrl } : {}),
    // Replicate's API through undici's request API: a fraction of the CPU fetch takes per call (net/api-fetch.ts)
    fetch: createApiFetch(),
    downloadFetch: safeFetch,
    outputHosts: config.outputHosts,
    storage,
    ...(serviceStore ? { store: serviceStore } : {}),
    ...(blobs ? { blobs } : {}),
    ...(tokenState ? { tokenState } : {}),
    ...(outbox ? { outbox } : {}),
    ...(batches ? { batches } : {}),
    imageTools: sharpImageTools(),
    // Replicate allows 600 creates a minute per account: stay under it instead of collecting 429s.
    budget: config.replicate.budget,
    service: {
      ...(webhookUrl ? { webhookUrl } : {}),
      checkInputUrl: (url: string) => checkPublicUrl(url, { allowedHosts: trustedHosts }),
      // Replicate can fetch inputs from us directly only when we are on the public internet over https.
      ...(publicUrl?.startsWith('https:') ? { publicFileUrl: (key: string) => `${publicUrl}/files/${key}` } : {}),
      ...options.service,
    },
  });
  // the routes read the plain store; only the service claims what it tracks
  const embedded = store ? { ...created, store } : created;
  // with DATABASE_URL, live events reach the clients of every instance
  const dotbase = backends.events ? withRelayedEvents(embedded, backends.events) : embedded;
  // Outgoing webhooks listen before generations resume, so no change of a resumed generation goes unsent; what a
  // previous run left in the outbox goes out now. They hear this instance's changes only (embedded.service, not the
  // relayed one): each change is sent by the instance that made it, not once per instance.
  const listening: { url?: string } = {};
  const webhooks = createOutgoingWebhooks({
    service: embedded.service,
    outbox: dotbase.outbox,
    store: dotbase.store,
    secrets: createWebhookSecrets(prefixStorage(storage, 'server:webhooks')),
    allowedHosts: config.webhookAllowedHosts,
    baseUrl: () => publicUrl ?? listening.url ?? `http://${config.host}:${config.port}`,
    logger,
    ...options.webhooks,
  });
  webhooks.start();
  cleanups.push(() => webhooks.stop());
  // Resumes every generation a previous run left unfinished.
  await dotbase.service.start();
  cleanups.push(() => dotbase.service.stop());
  // then the batch items that were still waiting for their turn
  const limits = config.limits;
  const scheduler = createBatchScheduler({
    service: dotbase.service,
    store: dotbase.store,
    batches: dotbase.batches,
    perUser: limits.batchConcurrencyPerUser,
    total: limits.batchConcurrency,
    logger,
  });
  await scheduler.start();
  cleanups.push(async () => scheduler.stop());
  return { mode, simulator, dotbase, webhookSecret, webhookUrl, webhooks, listening, scheduler, fileRedirect: backends.signedUrl, sharedLimits: backends.limits, events: backends.events } as const;
}

/** Undo steps, run newest first; each runs even when an earlier one failed. */
type Cleanups = Array<() => Promise<void>>;

async function runCleanups(cleanups: Cleanups): Promise<void> {
  for (const undo of cleanups.splice(0).reverse()) await undo().catch(() => undefined);
}

/**
 * Runs dotbase as a Node HTTP server from its configuration, with zero configuration needed: embedded storage in
 * `DOTBASE_DATA_DIR`, and without `REPLICATE_API_TOKENS` a Replicate simulator started in this process.
 *
 * @example
 * const server = await startServer({ env: { PORT: '0', DOTBASE_DATA_DIR: '/tmp/dotbase' } });
 * console.log(server.url, server.mode); // http://127.0.0.1:41234 simulator
 * await server.close();
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig(options.env ?? process.env, options.cwd);
  const logger = options.logger ?? jsonLogger();
  const secret = config.secret ?? (await loadOrCreateSecret(config.dataDir, (message) => logger.warn(message)));
  const cleanups: Cleanups = [];
  // Uploads need sharp (an optional peer dependency): a server that cannot check images should not start.
  await loadSharp();
  // before anything opens records.lmdb: a damaged file is a message naming it, not 500s (or a crash) later
  await verifyStoreAtStart(config, logger);
  try {
    const { mode, simulator, dotbase, webhookSecret, webhookUrl, webhooks, listening, scheduler, fileRedirect, sharedLimits, events } = await startBackend(config, options, logger, secret, cleanups);
    const anonymous = config.apiKeys.length === 0 && !config.telegram;
    const shutdown = new AbortController();
    // every open event stream listens for shutdown (and stops listening when it ends): many at once is normal
    setMaxListeners(0, shutdown.signal);
    const app = createServer({
      dotbase,
      mode,
      version: packageVersion(),
      auth: {
        secret,
        apiKeys: config.apiKeys,
        ...(config.telegram ? { telegram: config.telegram } : {}),
        admins: config.admins,
        anonymous,
      },
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      corsOrigins: config.corsOrigins,
      // Without authentication on loopback only loopback names are answered (DNS rebinding). Anonymous beyond
      // loopback (DOTBASE_ALLOW_UNAUTHENTICATED) was asked for knowingly; with authentication a rebound page has
      // no credentials, and a reverse proxy on this machine may pass its own Host.
      allowedHosts: anonymous && isLoopbackHost(config.host) ? 'loopback' : 'any',
      ...(webhookSecret ? { webhookSecret } : {}),
      limits: config.limits,
      ...(options.widgetDir ? { widgetDir: options.widgetDir } : {}),
      logger,
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      shutdown: shutdown.signal,
      webhooks,
      scheduler,
      ...(fileRedirect ? { fileRedirect } : {}),
      ...(sharedLimits ? { sharedLimits } : {}),
      // with DATABASE_URL, event ids numbered in PostgreSQL: a reconnect to any instance resumes
      ...(events ? { events } : {}),
    });

    const server = createHttpServer(getRequestListener(app.fetch, { errorHandler: malformedRequest }));
    const unused = trackUnusedConnections(server);
    const address = await listen(server, config.port, config.host);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    listening.url = url;
    logger.info('dotbase is listening', { url, mode, data_dir: config.dataDir, webhooks: webhookUrl !== undefined });
    if (config.apiKeys.length === 0 && !config.telegram) logger.warn('no authentication configured: every request is the admin user "local"', { host: config.host });
    if (config.telegram && config.telegram.allowedUsernames.length === 0) logger.warn('TELEGRAM_ALLOWED_USERNAMES is empty: nobody can sign in with Telegram');

    let closing: Promise<void> | undefined;
    return {
      url,
      mode,
      config,
      dotbase,
      ...(simulator ? { simulator } : {}),
      close() {
        closing ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          shutdown.abort();
          // Connections go idle as their requests (and the streams just ended) finish: close each as it does.
          const sweep = setInterval(() => server.closeIdleConnections(), 50);
          server.closeIdleConnections();
          // Node counts a connection that never sent a request (a browser's preconnect) as busy until its headers
          // time out; nothing can be lost by closing it now.
          for (const socket of unused) socket.destroy();
          const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          await closed;
          clearInterval(sweep);
          clearTimeout(grace);
          await runCleanups(cleanups);
          logger.info('dotbase stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}
