import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startServer, type RunningServer } from '@dotbase/server';
import { inject } from 'vitest';

export interface ApiServer {
  url: string;
  server: RunningServer;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  /** Origins allowed to embed the widget: the test site. */
  corsOrigins: string[];
  /** `user:key,...`; when set, anonymous access is off and the widget needs a token. */
  apiKeys?: string;
  /** `DOTBASE_ADMINS`: which of those users are admins. */
  admins?: string;
  /** Simulator lifecycle timing; short by default so tests stay quick. */
  timing?: { startingMs?: number; processingMs?: number; steps?: number };
  /** More server configuration (e.g. `DOTBASE_MAX_UPLOAD_BYTES`, `TELEGRAM_BOT_TOKEN`). */
  env?: Record<string, string>;
}

/**
 * The real dotbase server (Hono app, core service, in-process Replicate simulator) on a loopback port with a
 * temporary data folder, serving the widget build of this test run at `/widget.js` and `/widget.mjs`.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dotbase-widget-api-'));
  const server = await startServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DOTBASE_DATA_DIR: dataDir,
      DOTBASE_CORS_ORIGINS: options.corsOrigins.join(','),
      ...(options.apiKeys ? { DOTBASE_API_KEYS: options.apiKeys } : {}),
      ...(options.admins ? { DOTBASE_ADMINS: options.admins } : {}),
      ...options.env,
    },
    logger: silentLogger,
    simulator: { timing: { startingMs: 50, processingMs: 300, steps: 3, ...options.timing } },
    service: { pollIntervalMs: 50 },
    widgetDir: inject('widgetDist'),
  });
  return {
    url: server.url,
    server,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
