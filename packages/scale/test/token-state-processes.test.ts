import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TokenPoolState } from '@dotbase/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPostgresTokenPoolState, type Sql } from '../src/postgres/index.js';
import { createRedisTokenPoolState, type SharedTokenPoolState } from '../src/redis/index.js';
import { postgresAvailable, redisAvailable, startRedisServer, type RedisServer } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

const WORKER = fileURLToPath(new URL('./fixtures/token-worker.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  send(command: object): Promise<any>;
}

const workers: Worker[] = [];
afterEach(() => {
  for (const worker of workers.splice(0)) worker.child.kill('SIGKILL');
});

/** Starts an instance in its own process and resolves once it is connected. */
async function startWorker(env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['--conditions=@dotbase/source', '--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const answers: Array<(value: any) => void> = [];
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.ready) ready();
    else answers.shift()?.(message);
  });
  const worker = {
    child,
    send(command: object) {
      return new Promise<any>((resolve) => {
        answers.push(resolve);
        child.stdin!.write(`${JSON.stringify(command)}\n`);
      });
    },
  };
  workers.push(worker);
  await isReady;
  return worker;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, limitMs = 30_000): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    seen.push(value);
    if (done(value)) return seen;
    if (Date.now() > deadline) throw new Error(`${what} did not happen; last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const inFlight = async (state: TokenPoolState) => (await state.list()).map((t) => t.in_flight);

/** The same races for every shared state: `setup` gives the test's own state and the env of a worker. */
function describeRaces(name: string, setup: () => Promise<{ state: SharedTokenPoolState; env: Record<string, string>; sql?: Sql }>) {
  describe(`${name}: several processes`, () => {
    it('never lets a budget be exceeded when four processes acquire at once', async () => {
      const { state, env } = await setup();
      await state.register(['tok_a', 'tok_b']);
      const instances = await Promise.all([1, 2, 3, 4].map(() => startWorker(env)));
      const budget = { limit: 25, windowMs: 60_000 };
      const answers = await Promise.all(instances.map((worker) => worker.send({ cmd: 'acquire', n: 40, budget })));
      const leased = answers.flatMap((a) => a.leased as string[]);
      // 160 tries against 2 tokens x 25: exactly 50 leases, 25 each, the rest told to wait
      expect(leased.filter((id) => id === 'tok_a')).toHaveLength(25);
      expect(leased.filter((id) => id === 'tok_b')).toHaveLength(25);
      expect(answers.reduce((sum, a) => sum + a.waits, 0)).toBe(110);
      expect(await inFlight(state)).toEqual([25, 25]);
      expect((await state.list()).map((t) => t.request_count)).toEqual([25, 25]);
      await Promise.all(instances.map((worker) => worker.send({ cmd: 'release-all' })));
      expect(await inFlight(state)).toEqual([0, 0]);
    });

    it('frees the in-flight counts of a process killed with leases held, never going below zero', async () => {
      const { state, env } = await setup();
      await state.register(['tok_a', 'tok_b']);
      const doomed = await startWorker({ ...env, LEASE_TTL_MS: '1500' });
      const survivor = await startWorker({ ...env, LEASE_TTL_MS: '1500' });
      expect((await doomed.send({ cmd: 'acquire', n: 6 })).leased).toHaveLength(6);
      expect((await survivor.send({ cmd: 'acquire', n: 2 })).leased).toHaveLength(2);
      expect(await inFlight(state)).toEqual([4, 4]);
      doomed.child.kill('SIGKILL');
      // the survivor's heartbeat keeps its two leases; the dead process's six expire
      const seen = await eventually(() => inFlight(state), (counts) => counts[0]! + counts[1]! === 2, 'expiry of the killed process leases');
      expect(seen.flat().every((count) => count >= 0)).toBe(true);
      // well past three lease lifetimes: the survivor's leases are still counted
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect((await inFlight(state)).reduce((a, b) => a + b)).toBe(2);
      expect(await survivor.send({ cmd: 'release-all' })).toEqual({ released: 2 });
      expect(await inFlight(state)).toEqual([0, 0]);
    });

    it('leases to each instance only the tokens it registered (instances may hold different tokens)', async () => {
      const { state, env } = await setup();
      await state.register(['tok_a', 'tok_b']);
      const sibling = await startWorker(env);
      await sibling.send({ cmd: 'register', ids: ['tok_b', 'tok_c'] });
      const theirs = (await sibling.send({ cmd: 'acquire', n: 6 })).leased as string[];
      const ours = await Promise.all(Array.from({ length: 6 }, () => state.acquire(Date.now())));
      expect(theirs).toHaveLength(6);
      expect(new Set(theirs)).toEqual(new Set(['tok_b', 'tok_c']));
      expect(new Set(ours.map((lease) => (lease.kind === 'leased' ? lease.id : lease.kind)))).toEqual(new Set(['tok_a', 'tok_b']));
    });

    it('shows a cooldown set by one process to another at once', async () => {
      const { state, env } = await setup();
      await state.register(['tok_a', 'tok_b']);
      const sibling = await startWorker(env);
      const lease = await state.acquire(Date.now());
      expect(lease).toEqual({ kind: 'leased', id: 'tok_a' });
      await state.release('tok_a', { ok: false, error: 'rate_limited: 429', countsAsError: true, cooldownUntil: Date.now() + 60_000 }, Date.now());
      // the very next acquires elsewhere avoid the cooling token
      expect((await sibling.send({ cmd: 'acquire', n: 5 })).leased).toEqual(['tok_b', 'tok_b', 'tok_b', 'tok_b', 'tok_b']);
      const cooling = await state.get('tok_a');
      expect(cooling?.cooldown_until).toBeGreaterThan(Date.now() + 50_000);
    });
  });
}

describe.skipIf(!redisAvailable())('Redis token-pool state', () => {
  let server: Promise<RedisServer> | undefined;
  const clients: Redis[] = [];
  const states: SharedTokenPoolState[] = [];
  let prefixes = 0;
  afterAll(async () => {
    await Promise.all(states.map((state) => state.close()));
    for (const client of clients) client.disconnect();
    if (server) await (await server).stop();
  });
  describeRaces('redis', async () => {
    const { url } = await (server ??= startRedisServer());
    const redis = new Redis(url);
    clients.push(redis);
    prefixes += 1;
    const prefix = `race${prefixes}`;
    const state = createRedisTokenPoolState(redis, { prefix });
    states.push(state);
    return { state, env: { KIND: 'redis', URL: url, PREFIX: prefix } };
  });
});

describe.skipIf(!postgresAvailable())('PostgreSQL token-pool state', () => {
  const pg = usePostgres();
  const states: SharedTokenPoolState[] = [];
  afterAll(async () => {
    await Promise.all(states.map((state) => state.close()));
  });
  async function setup() {
    const { url, sql } = await pg.freshDatabase();
    const state = createPostgresTokenPoolState(sql);
    states.push(state);
    return { state, env: { KIND: 'postgres', URL: url }, sql };
  }
  describeRaces('postgres', setup);

  it("takes the seed's UPDATE replicate_tokens SET is_active = false on every instance at once", async () => {
    const { state, env, sql } = await setup();
    await state.register(['tok_a', 'tok_b']);
    const sibling = await startWorker(env);
    await sql.unsafe("UPDATE replicate_tokens SET is_active = false WHERE id = 'tok_a';");
    expect((await sibling.send({ cmd: 'acquire', n: 4 })).leased).toEqual(['tok_b', 'tok_b', 'tok_b', 'tok_b']);
    expect((await state.get('tok_a'))?.is_active).toBe(false);
  });
});
