import { randomBytes } from 'node:crypto';
import { connectPostgres, migrate, postgresKvDriver, type Sql } from '@dotbase/scale/postgres';
import { freePort, postgresAvailable, startPostgresCluster, type PostgresCluster } from '@dotbase/scale/testing';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { Webhook } from 'standardwebhooks';
import { createStorage, prefixStorage } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSecrets } from '../src/webhooks/outgoing/secrets.js';
import { startTestServer, type TestServer } from './helpers.js';
import { webhookReceiver } from './receiver.js';

// random, as a real DOTBASE_SECRET must be (the entropy check refuses a plain-looking one)
const SECRET = randomBytes(32).toString('base64url');
const ALICE = 'alice-key-0123456789';
const TOKEN = 'r8_instances_0123456789abcdef';

const item = (prompt: string) => ({ action: 'create', model_id: 'flux-schnell', prompt });

/**
 * Two dotbase instances (two servers in this process, each with its own pools, scheduler and webhook sender) on one
 * PostgreSQL and one simulator: nothing is shared between them but the database and the simulator.
 */
describe.skipIf(!postgresAvailable())('batches and outgoing webhooks across instances on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let simulator: RunningSimulator;
  const servers: TestServer[] = [];
  const pools: Sql[] = [];
  beforeAll(async () => {
    [cluster, simulator] = await Promise.all([
      startPostgresCluster(),
      startSimulator({ tokens: [TOKEN], timing: { startingMs: 20, processingMs: 250, steps: 2 } }),
    ]);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await Promise.all(pools.map((sql) => sql.end({ timeout: 1 })));
    await Promise.all([cluster?.stop(), simulator?.close()]);
  });

  /**
   * One instance. Each has its own public URL (a port chosen here): Replicate's webhooks for a prediction go to the
   * instance that created it, so the simulator's record of a prediction tells which instance submitted it.
   */
  async function instance(databaseUrl: string, env: Record<string, string> = {}, options: Parameters<typeof startTestServer>[1] = {}) {
    const port = await freePort();
    const server = await startTestServer(
      {
        PORT: String(port),
        DOTBASE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: databaseUrl,
        DOTBASE_SECRET: SECRET,
        DOTBASE_API_KEYS: `alice:${ALICE}`,
        REPLICATE_API_TOKENS: TOKEN,
        REPLICATE_API_BASE_URL: simulator.url,
        ...env,
      },
      options,
    );
    servers.push(server);
    return server;
  }

  it('submits each item of a batch once, never more than its concurrency at a time over both instances', async () => {
    const url = await cluster.createDatabase();
    const concurrency = 3;
    const limits = { DOTBASE_BATCH_CONCURRENCY_PER_USER: String(concurrency), DOTBASE_BATCH_CONCURRENCY: '16' };
    const before = simulator.stats();
    const a = await instance(url, limits);
    const created = await a.json('POST', '/api/batches', { token: ALICE, body: { items: Array.from({ length: 24 }, (_, i) => item(`item ${i}`)) } });
    expect(created.status).toBe(201);
    // the second instance starts while the batch waits: it finds the waiting items in the shared store
    const b = await instance(url, limits);

    const deadline = Date.now() + 90_000;
    let batch: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = (await b.json('GET', `/api/batches/${created.body.id}`, { token: ALICE })).body;
    } while (batch.counts.completed + batch.counts.failed < 24 && Date.now() < deadline);
    const errors = batch.counts.failed ? await Promise.all(batch.items.map(async (id: string) => (await a.json('GET', `/api/generations/${id}`, { token: ALICE })).body.error)) : [];
    expect(batch.counts, JSON.stringify(errors)).toMatchObject({ completed: 24, failed: 0, pending: 0, processing: 0 });

    // exactly one prediction per item, and both instances submitted some
    expect(simulator.stats().creates - before.creates).toBe(24);
    const generations = await Promise.all(batch.items.map(async (id: string) => (await a.json('GET', `/api/generations/${id}`, { token: ALICE })).body));
    const predictions = generations.map((g) => simulator.getPrediction(g.prediction_id));
    expect(new Set(generations.map((g) => g.prediction_id)).size).toBe(24);
    const submittedBy = (server: TestServer) => predictions.filter((p) => p!.webhook?.startsWith(`${server.url}/`)).length;
    expect(submittedBy(a) + submittedBy(b)).toBe(24);
    expect(submittedBy(a)).toBeGreaterThan(0);
    expect(submittedBy(b)).toBeGreaterThan(0);

    // at the simulator, never more than `concurrency` of them ran at once (a dotbase slot is held from the claim to
    // the end dotbase heard of, which spans the prediction's whole life at the simulator)
    const edges = predictions.flatMap((p) => [
      { at: Date.parse(p!.created_at), change: 1 },
      { at: Date.parse(p!.completed_at!), change: -1 },
    ]);
    edges.sort((x, y) => x.at - y.at || x.change - y.change);
    let atOnce = 0;
    let most = 0;
    for (const edge of edges) most = Math.max(most, (atOnce += edge.change));
    expect(most).toBeLessThanOrEqual(concurrency);
    expect(most).toBeGreaterThan(1);
  }, 120_000);

  it('delivers each webhook message once per attempt from two senders, losing none', async () => {
    const url = await cluster.createDatabase();
    // every message is refused once, so its retry comes due while both instances' senders poll the shared outbox
    const firstTry = new Set<string>();
    const receiver = webhookReceiver((request) => {
      const id = request.headers['webhook-id']!;
      if (firstTry.has(id)) return 200;
      firstTry.add(id);
      return 500;
    });
    await receiver.listen();
    try {
      const env = { DOTBASE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };
      const fast = { webhooks: { schedule: { initialDelayMs: 30, maxDelayMs: 100, windowMs: 60_000 }, pollMs: 10 } };
      const a = await instance(url, env, fast);
      const b = await instance(url, env, fast);
      const body = (prompt: string) => ({ ...item(prompt), webhook: receiver.url, webhook_events_filter: ['completed'] });
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).json('POST', '/api/generations/create', { token: ALICE, body: body(`hook ${i}`) })),
      );
      expect(created.map((answer) => answer.status)).toEqual(Array(20).fill(201));

      await receiver.until((received) => received.filter((r) => r.answered === 200).length >= 20, '20 deliveries', 60_000);
      // a duplicate would arrive within a poll or two of the first: give both senders many rounds
      await new Promise((resolve) => setTimeout(resolve, 500));
      const byId = new Map<string, number[]>();
      for (const request of receiver.received) byId.set(request.headers['webhook-id']!, [...(byId.get(request.headers['webhook-id']!) ?? []), request.answered]);
      expect(byId.size).toBe(20);
      for (const [id, answers] of byId) expect(answers, id).toEqual([500, 200]);

      // signed with alice's one secret, whichever instance sent it
      const { key } = (await a.json('GET', '/api/webhooks/secret', { token: ALICE })).body;
      const verifier = new Webhook(key);
      for (const request of receiver.received) expect(() => verifier.verify(request.body, request.headers)).not.toThrow();
      // the outbox agrees: every message delivered on its second attempt
      const deliveries = await Promise.all(created.map(async (answer, i) => (await (i % 2 ? a : b).json('GET', `/api/generations/${answer.body.id}/deliveries`, { token: ALICE })).body));
      for (const list of deliveries) {
        const [only] = list.items;
        expect(only).toMatchObject({ status: 'delivered', attempts: [expect.objectContaining({ status_code: 500 }), expect.objectContaining({ status_code: 200 })] });
      }
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('makes one signing secret per user when two instances need it first at the same moment', async () => {
    const url = await cluster.createDatabase();
    // each instance's secrets over its own pool, as the server keeps them (prefix server:webhooks)
    const secrets = [0, 1].map(() => {
      const sql = connectPostgres(url, { max: 4 });
      pools.push(sql);
      return createWebhookSecrets(prefixStorage(createStorage({ driver: postgresKvDriver({ sql }) }), 'server:webhooks'));
    });
    await migrate(pools.at(-1)!);
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const answers = await Promise.all(users.map((user) => Promise.all(secrets.map((instance) => instance.get(user)))));
    for (const [i, [onA, onB]] of answers.entries()) expect(onA, users[i]).toBe(onB);
    // and that one secret is what either instance signs with later
    for (const [i, user] of users.entries()) expect(await secrets[1]!.get(user)).toBe(answers[i]![0]);
  });
});
