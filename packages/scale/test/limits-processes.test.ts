import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgresAvailable, redisAvailable, startRedisServer, type RedisServer } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

const WORKER = fileURLToPath(new URL('./fixtures/limits-worker.ts', import.meta.url));
const PROCESSES = 3;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts an instance in its own process; `run` sends its one command and resolves with how many were granted. */
async function startWorker(env: Record<string, string>): Promise<{ run(command: object): Promise<number> }> {
  const child = spawn(process.execPath, ['--conditions=@dotbase/source', '--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<any>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
  await next();
  return {
    async run(command) {
      const answer = next();
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      const { granted, error } = await answer;
      if (error) throw new Error(error);
      return granted as number;
    },
  };
}

/** Every process fires `n` attempts at once, after all of them are ready: the grants of all processes together. */
async function race(env: Record<string, string>, command: { what: string; key: string; max: number; n: number }): Promise<number> {
  const workers = await Promise.all(Array.from({ length: PROCESSES }, () => startWorker(env)));
  const granted = await Promise.all(workers.map((worker) => worker.run(command)));
  return granted.reduce((sum, count) => sum + count, 0);
}

function describeRaces(name: string, env: () => Promise<Record<string, string>>) {
  it(`${name}: a rate limit lets exactly \`limit\` through, over ${PROCESSES} processes hitting at once`, async () => {
    expect(await race(await env(), { what: 'rate', key: 'alice', max: 40, n: 60 })).toBe(40);
  });
  it(`${name}: slots are never handed out past \`max\`, over ${PROCESSES} processes acquiring at once`, async () => {
    expect(await race(await env(), { what: 'slots', key: 'streams:alice', max: 12, n: 40 })).toBe(12);
  });
  it(`${name}: each id is seen for the first time once, over ${PROCESSES} processes asking at once`, async () => {
    // 30 ids, each asked 2 times per process
    expect(await race(await env(), { what: 'seen', key: 'msg', max: 30, n: 60 })).toBe(30);
  });
}

describe.skipIf(!redisAvailable())('shared limits raced by several processes on Redis', () => {
  let server: Promise<RedisServer> | undefined;
  let prefixes = 0;
  afterAll(async () => {
    if (server) await (await server).stop();
  });
  describeRaces('redis', async () => ({ KIND: 'redis', URL: (await (server ??= startRedisServer())).url, PREFIX: `race${++prefixes}` }));
});

describe.skipIf(!postgresAvailable())('shared limits raced by several processes on PostgreSQL', () => {
  const postgres = usePostgres();
  describeRaces('postgres', async () => ({ KIND: 'postgres', URL: (await postgres.freshDatabase()).url }));
});
