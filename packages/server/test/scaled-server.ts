import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createDotbase } from '@dotbase/core';
import { sharpImageTools } from '@dotbase/core/node';
import { connectPostgres, createPostgresGenerationStore, migrate, postgresKvDriver } from '@dotbase/scale/postgres';
import { createS3BlobStore } from '@dotbase/scale/s3';
import type { S3Server } from '@dotbase/scale/testing';
import { createStorage } from 'unstorage';
import { createServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startInProcessSimulator } from '../src/simulator/in-process.js';
import { FAST_SIMULATOR } from './helpers.js';

export interface ScaledServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A dotbase server whose generations and key-value entries are in PostgreSQL and whose files are in S3, built
 * from the package APIs (createDotbase with the PostgreSQL store, the PostgreSQL key-value driver and the S3 blob
 * store) and served over HTTP on loopback, with the in-process simulator as Replicate.
 */
export async function startScaledServer(options: { databaseUrl: string; s3: S3Server; bucket: string; prefix?: string; secret: string; apiKeys: string }): Promise<ScaledServer> {
  const sql = connectPostgres(options.databaseUrl, { max: 4 });
  await migrate(sql);
  const blobs = createS3BlobStore({
    bucket: options.bucket,
    endpoint: options.s3.endpoint,
    region: options.s3.region,
    credentials: options.s3.credentials,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  const { simulator, tokens } = await startInProcessSimulator(options.secret, FAST_SIMULATOR);
  const dotbase = createDotbase({
    tokens,
    baseUrl: simulator.url,
    storage: createStorage({ driver: postgresKvDriver({ sql }) }),
    store: createPostgresGenerationStore(sql),
    blobs,
    imageTools: sharpImageTools(),
    service: { pollIntervalMs: 40 },
  });
  await dotbase.service.start();
  const config = loadConfig({ DOTBASE_API_KEYS: options.apiKeys, DOTBASE_SECRET: options.secret });
  const app = createServer({ dotbase, mode: 'simulator', auth: { secret: options.secret, apiKeys: config.apiKeys } });
  const server = createHttpServer(getRequestListener(app.fetch));
  // The test client, this server and s3rver share one event loop: on a busy machine a connection can sit idle past
  // Node's 5 s keep-alive and be closed just as the client reuses it (ECONNRESET). A proxy's longer timeout, as in
  // production, avoids that race.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dotbase.service.stop();
      await simulator.close();
      blobs.close();
      await sql.end({ timeout: 1 });
    },
  };
}
