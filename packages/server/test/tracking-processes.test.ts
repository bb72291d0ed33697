import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { GenerationRecord, Prediction } from '@dotbase/core';
import { connectPostgres, migrate, type Sql } from '@dotbase/scale/postgres';
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from '@dotbase/scale/testing';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('./fixtures/tracking-worker.ts', import.meta.url));
const TOKENS = ['r8_tracking_alpha_0123456789', 'r8_tracking_bravo_0123456789'];
/** Short leases, so a dead instance's generations move within seconds (30 s in production). */
const LEASE_MS = 2000;

interface Instance {
  child: ChildProcess;
  send(command: object): Promise<any>;
}
type Ending = { id: string; status: string; output_keys: string[] };

const undo: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step().catch(() => undefined);
});

/** Starts an instance in its own process; resolves once its service has started. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--conditions=@dotbase/source', '--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  undo.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  const waiting = new Map<number, (message: any) => void>();
  let next = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line);
      if (message.ready) resolve();
      else waiting.get(message.n)?.(message);
    });
  });
  await ready;
  return {
    child,
    send(command: object) {
      const n = next++;
      return new Promise<any>((resolve, reject) => {
        waiting.set(n, (message) => (message.error ? reject(new Error(message.error)) : resolve(message.answer)));
        child.stdin!.write(`${JSON.stringify({ n, ...command })}\n`);
      });
    },
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${limitMs} ms; last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!postgresAvailable())('tracking across instances (processes) on one PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /**
   * A database, a shared output folder, a simulator (in this process: the instances reach it over loopback HTTP)
   * and a webhook receiver that hands every webhook the simulator sends to each instance listed in `pushTo`,
   * several times at once: webhooks racing each other and the polls on every instance.
   */
  async function setup(processingMs: number) {
    const url = await cluster.createDatabase();
    const sql: Sql = connectPostgres(url, { max: 2 });
    undo.push(() => sql.end({ timeout: 1 }));
    await migrate(sql);
    const blobDir = await mkdtemp(join(tmpdir(), 'dotbase-tracking-'));
    undo.push(() => rm(blobDir, { recursive: true, force: true }));
    const simulator: RunningSimulator = await startSimulator({ tokens: TOKENS, timing: { startingMs: 10, processingMs } });
    undo.push(() => simulator.close());
    const pushTo: Instance[] = [];
    const receiver: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        response.end('{}');
        const prediction = JSON.parse(body) as Prediction;
        for (const instance of pushTo) instance.send({ cmd: 'push', prediction, times: 3 }).catch(() => undefined);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    undo.push(() => new Promise((resolve) => receiver.close(resolve)));
    const env = {
      DATABASE_URL: url,
      LEASE_MS: String(LEASE_MS),
      BLOB_DIR: blobDir,
      SIM_URL: simulator.url,
      TOKENS: TOKENS.join(','),
      HOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      POLL_MS: '50',
    };
    const generations = async (ids: string[]) =>
      (await sql`SELECT id, status, output_keys, prediction_id FROM generations WHERE id = ANY(${ids}) ORDER BY id`) as unknown as Array<Pick<GenerationRecord, 'id' | 'status' | 'output_keys' | 'prediction_id'>>;
    const outputFiles = async () => (await readdir(join(blobDir, 'outputs')).catch(() => [] as string[])).map((name) => `outputs/${name}`).sort();
    return { sql, simulator, env, pushTo, generations, outputFiles };
  }

  /** Every ending announced by the given instances, by generation. */
  async function endingsOf(instances: Instance[]): Promise<Map<string, Ending[]>> {
    const byId = new Map<string, Ending[]>();
    for (const instance of instances) {
      for (const ending of (await instance.send({ cmd: 'endings' })) as Ending[]) byId.set(ending.id, [...(byId.get(ending.id) ?? []), ending]);
    }
    return byId;
  }

  it('ends a generation once when a stalled instance wakes up beside the one that took it over, webhooks and polls racing on both', async () => {
    const { sql, simulator, env, pushTo, generations, outputFiles } = await setup(6000);
    const a = await startInstance(env);
    const b = await startInstance(env);
    pushTo.push(a, b);
    const created = (await a.send({ cmd: 'create', count: 3, outputs: 2 })) as GenerationRecord[];
    const ids = created.map((record) => record.id);
    const ofA = (await sql`SELECT instance FROM generation_claims WHERE generation_id = ${ids[0]!}`)[0]?.['instance'] as string;
    // A stalls (a long pause, a frozen VM) past its lease: B takes its generations over while A still follows them
    a.child.kill('SIGSTOP');
    await eventually(
      () => sql`SELECT count(*)::int AS n FROM generation_claims WHERE generation_id = ANY(${ids}) AND instance <> ${ofA}`,
      (rows) => rows[0]?.['n'] === ids.length,
      'takeover of the stalled instance’s generations',
      LEASE_MS * 5,
    );
    a.child.kill('SIGCONT');
    // both follow every generation now, by polling and by the webhooks pushed to both
    const done = await eventually(() => generations(ids), (rows) => rows.every((row) => row.status === 'completed'), 'completion', 30_000);
    // the race is over once both instances have seen the end; whatever either had in flight has landed by now
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const endings = await endingsOf([a, b]);
    for (const row of done) {
      expect(endings.get(row.id), row.id).toHaveLength(1);
      expect(endings.get(row.id)![0]!.output_keys).toEqual(row.output_keys);
      expect(row.output_keys).toHaveLength(2);
    }
    expect(await outputFiles()).toEqual(done.flatMap((row) => row.output_keys).sort());
    // counted once, by the seed's own statistics query and the list totals
    const stats = await sql.unsafe(
      "SELECT action, status, COUNT(*) as count, AVG(processing_time_ms) as avg_time FROM generations WHERE created_at > NOW() - INTERVAL '24 hours' GROUP BY action, status",
    );
    expect(stats.map((row) => [row['action'], row['status'], Number(row['count'])])).toEqual([['create', 'completed', 3]]);
    expect((await sql`SELECT status, count::int AS n FROM generation_counts WHERE count <> 0`).map((row) => [row['status'], row['n']])).toEqual([['completed', 3]]);
    // one prediction each: taking over follows the prediction, it never submits again
    expect(simulator.stats().creates).toBe(3);
  });

  it('finishes the generations of a SIGKILLed instance on a running one within the lease window', async () => {
    const { simulator, env, generations, outputFiles } = await setup(3000);
    const a = await startInstance(env);
    const b = await startInstance(env);
    // no webhook reaches anyone (a webhook on B would end them without B following them): only B's takeover and
    // polling can finish them
    const created = (await a.send({ cmd: 'create', count: 4, outputs: 1 })) as GenerationRecord[];
    const ids = created.map((record) => record.id);
    a.child.kill('SIGKILL');
    // lease (2 s) + a takeover round + the rest of the 3 s prediction, with room for a busy machine
    const done = await eventually(() => generations(ids), (rows) => rows.every((row) => row.status === 'completed'), 'completion by the survivor', 20_000);
    const endings = await endingsOf([b]);
    for (const row of done) expect(endings.get(row.id), row.id).toHaveLength(1);
    expect(await outputFiles()).toEqual(done.flatMap((row) => row.output_keys).sort());
    expect(simulator.stats().creates).toBe(4);
  });

  it('ends a generation on the instance its webhook reaches, though another follows it', async () => {
    const { env, pushTo, generations, outputFiles } = await setup(1500);
    // long leases: nothing is taken over during this test, B never follows A's generations
    const a = await startInstance({ ...env, LEASE_MS: '600000' });
    const b = await startInstance({ ...env, LEASE_MS: '600000' });
    pushTo.push(b);
    const created = (await a.send({ cmd: 'create', count: 2, outputs: 1 })) as GenerationRecord[];
    const ids = created.map((record) => record.id);
    // A, which follows them, is frozen: only the webhooks B receives can end them
    a.child.kill('SIGSTOP');
    const done = await eventually(() => generations(ids), (rows) => rows.every((row) => row.status === 'completed'), 'completion through B', 20_000);
    const endings = await endingsOf([b]);
    for (const row of done) expect(endings.get(row.id)?.map((ending) => ending.status), row.id).toEqual(['completed']);
    expect(await outputFiles()).toEqual(done.flatMap((row) => row.output_keys).sort());
  });

  it('submits a held batch item once when two instances submit it at the same moment', async () => {
    const { simulator, env, generations } = await setup(200);
    const a = await startInstance(env);
    const b = await startInstance(env);
    const held = (await a.send({ cmd: 'create-held', count: 6 })) as GenerationRecord[];
    await Promise.all(held.flatMap((record) => [a.send({ cmd: 'submit-held', id: record.id, times: 2 }), b.send({ cmd: 'submit-held', id: record.id, times: 2 })]));
    const done = await eventually(() => generations(held.map((r) => r.id)), (rows) => rows.every((row) => row.status === 'completed'), 'completion', 20_000);
    expect(new Set(done.map((row) => row.prediction_id)).size).toBe(6);
    expect(simulator.stats().creates).toBe(6);
  });
});
