import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineAvailable, freePort, spawn, stopChild, waitForOutput } from './engines.js';

const BINARY = process.env['DOTBASE_REDIS_SERVER'] ?? '/usr/bin/redis-server';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Ends the server at once, as a crash would (SIGKILL), or cleanly. */
  stop(): Promise<void>;
}

/** Whether redis-server is here (see `engineAvailable`). */
export const redisAvailable = () => engineAvailable('Redis', [BINARY]);

/**
 * A private Redis for tests on a free loopback port, nothing persisted.
 *
 * @example
 * const redis = await startRedisServer();
 * await redis.stop();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dotbase-redis-'));
  // another test file may take the free port between the check and the bind: then try another one
  let started: { child: ReturnType<typeof spawn>; port: number } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freePort();
    const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForOutput(child, /Ready to accept connections/, 'Redis');
      started = { child, port };
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/i.test(String(error))) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const { child, port } = started;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
