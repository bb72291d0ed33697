import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { Engine } from './engine.js';
import type { FaultRule } from './http/faults.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import type { PredictionJson } from './predictions/types.js';
import { toPredictionJson } from './predictions/serialize.js';
import type { SimulatorStats } from './stats.js';

/** A simulator that is listening. */
export interface RunningSimulator {
  /** API base including `/v1`, e.g. `http://127.0.0.1:41234/v1`: pass it as the SDK's `baseUrl`. */
  url: string;
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  webhookSecret: string;
  /** Replaces the fault rules at run time. */
  setFaults(rules: FaultRule[]): void;
  /** From now on the token gets 401. */
  revokeToken(token: string): void;
  /** Accepts the token (again). */
  addToken(token: string): void;
  stats(): SimulatorStats;
  getPrediction(id: string): PredictionJson | undefined;
  /** Stops the server, every timer and every pending webhook. */
  close(): Promise<void>;
}

/**
 * Starts a Replicate-compatible simulator.
 *
 * @example
 * const sim = await startSimulator({ tokens: ['r8_test'], timing: { processingMs: 300 } });
 * const replicate = new Replicate({ auth: 'r8_test', baseUrl: sim.url, useFileOutput: false });
 * const output = await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'a red fox' } });
 * await sim.close();
 */
export async function startSimulator(options?: SimulatorOptions): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const engine = new Engine(resolved);
  const app = buildApp(engine);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: resolved.host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const origin = `http://${host}:${port}`;
  engine.bind(origin, port);

  let closed: Promise<void> | undefined;
  return {
    url: engine.address.apiBase,
    origin,
    webhookSecret: resolved.webhookSecret,
    setFaults: (rules) => engine.faults.replace(rules),
    revokeToken: (token) => engine.tokens.revoke(token),
    addToken: (token) => engine.tokens.add(token),
    stats: () => engine.stats.snapshot(),
    getPrediction(id) {
      const record = engine.predictions.get(id);
      return record && toPredictionJson(record, engine.address.apiBase, Date.now());
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        engine.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
