import { randomBytes } from 'node:crypto';
import { postgresAvailable, redisAvailable, startPostgresCluster, startRedisServer, type PostgresCluster, type RedisServer } from '@dotbase/scale/testing';
import { signWebhook } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, upload, type TestServer } from './helpers.js';
import { sampleImage } from './images.js';

// random, as a real DOTBASE_SECRET must be (the entropy check refuses a plain-looking one)
const SECRET = randomBytes(32).toString('base64url');
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
// generations that stay running for the whole test: the stream and active caps are measured while they run
const SLOW = { simulator: { timing: { startingMs: 20, processingMs: 60_000, steps: 2 } }, service: { pollIntervalMs: 60_000 } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two server instances on one PostgreSQL (and, in the first run, one Redis): every per-user limit holds for the
 * pair as it would for one instance. Each instance has its own in-process simulator; nothing is shared but the
 * engines.
 */
for (const engine of ['redis', 'postgres'] as const) {
  describe.skipIf(!postgresAvailable() || (engine === 'redis' && !redisAvailable()))(`per-user limits shared by two instances (${engine})`, () => {
    let cluster: PostgresCluster;
    let redis: RedisServer | undefined;
    const servers: TestServer[] = [];
    let redisDatabase = 0;
    beforeAll(async () => {
      [cluster, redis] = await Promise.all([startPostgresCluster(), engine === 'redis' ? startRedisServer() : undefined]);
    });
    afterAll(async () => {
      for (const server of servers.splice(0)) await server.close();
      await Promise.all([cluster?.stop(), redis?.stop()]);
    });

    /** Two instances on a fresh database (and the Redis server), with these limits. */
    async function twoInstances(env: Record<string, string> = {}, options: Parameters<typeof startTestServer>[1] = {}): Promise<[TestServer, TestServer]> {
      const shared = {
        DATABASE_URL: await cluster.createDatabase(),
        // a database of its own per test: slots of the instances of an earlier test are still held (and renewed)
        ...(redis ? { REDIS_URL: `${redis.url}/${++redisDatabase}` } : {}),
        DOTBASE_SECRET: SECRET,
        REPLICATE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ...env,
      };
      const a = await startTestServer(shared, options);
      servers.push(a);
      const b = await startTestServer(shared, options);
      servers.push(b);
      return [a, b];
    }

    it('spends one rate budget per user on both instances: 429 with Retry-After past the total', async () => {
      const [a, b] = await twoInstances({ DOTBASE_RATE_LIMIT_PER_MINUTE: '10' });
      const answers: { via: string; status: number; retryAfter: string | null }[] = [];
      // 8 requests on each: under 10 each, 16 in all
      for (let i = 0; i < 16; i++) {
        const [via, server] = i % 2 === 0 ? ['a', a] : ['b', b];
        const response = await server.fetch('/api/generations/list?page=1&limit=1');
        await response.body?.cancel();
        answers.push({ via: via as string, status: response.status, retryAfter: response.headers.get('retry-after') });
      }
      const allowed = answers.filter((answer) => answer.status === 200);
      // 10 a minute: a slow machine may see one token come back while the 16 requests run
      expect(allowed.length).toBeGreaterThanOrEqual(10);
      expect(allowed.length).toBeLessThanOrEqual(11);
      const refused = answers.filter((answer) => answer.status !== 200);
      expect(refused.every((answer) => answer.status === 429 && Number(answer.retryAfter) >= 1)).toBe(true);
      // each instance alone saw 8: both refuse because they count together
      expect(new Set(refused.map((answer) => answer.via))).toEqual(new Set(['a', 'b']));
    });

    it('caps open event streams per user over both instances, and frees a closed stream', async () => {
      const [a, b] = await twoInstances({ DOTBASE_MAX_STREAMS_PER_USER: '2' }, SLOW);
      const created = await a.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'watched from two instances' } });
      expect(created.status).toBe(201);
      const path = `/api/generations/${created.body.id}/events`;
      const open = (server: TestServer) => {
        const controller = new AbortController();
        return server.fetch(path, { headers: { accept: 'text/event-stream' }, signal: controller.signal }).then((response) => ({ response, close: () => controller.abort() }));
      };
      const first = await open(a);
      const second = await open(b);
      expect([first.response.status, second.response.status]).toEqual([200, 200]);
      for (const server of [a, b]) {
        const third = await server.fetch(path, { headers: { accept: 'text/event-stream' } });
        expect(third.status).toBe(429);
        expect(((await third.json()) as any).error.code).toBe('too_many_streams');
        expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      // a stream closed on A frees its slot for B
      first.close();
      let again: Response | undefined;
      for (let tries = 0; tries < 100; tries++) {
        again = await b.fetch(path, { headers: { accept: 'text/event-stream' }, signal: AbortSignal.timeout(60_000) });
        if (again.status === 200) break;
        await again.body?.cancel();
        await sleep(50);
      }
      expect(again?.status).toBe(200);
      await again?.body?.cancel();
      second.close();
    });

    it('caps running generations per user over both instances, however creates race', async () => {
      const [a, b] = await twoInstances({ DOTBASE_MAX_ACTIVE_GENERATIONS: '3', DOTBASE_RATE_LIMIT_PER_MINUTE: '1000' }, SLOW);
      const create = (server: TestServer, i: number) => server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: `race ${i}` } });
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(i % 2 === 0 ? a : b, i)));
      expect(answers.filter((answer) => answer.status === 201), JSON.stringify(answers.map((answer) => [answer.status, answer.body?.error?.code]))).toHaveLength(3);
      const refused = answers.filter((answer) => answer.status !== 201);
      expect(refused.every((answer) => answer.status === 429 && answer.body.error.code === 'too_many_generations')).toBe(true);
      // the three keep counting once created (not only while their creates ran)
      expect((await create(b, 99)).status).toBe(429);
      // one ends (canceled): there is room for exactly one more, on either instance
      const running = answers.find((answer) => answer.status === 201)!;
      expect((await a.json('POST', `/api/generations/${running.body.id}/cancel`)).status).toBe(200);
      let next: Awaited<ReturnType<typeof create>> | undefined;
      for (let tries = 0; tries < 100; tries++) {
        next = await create(b, 100 + tries);
        if (next.status === 201) break;
        await sleep(50);
      }
      expect(next?.status).toBe(201);
      expect((await create(a, 200)).status).toBe(429);
    });

    it('lets two uploads racing on two instances together stay within the upload quota', async () => {
      const [a, b] = await twoInstances({ DOTBASE_UPLOAD_QUOTA_COUNT: '1', DOTBASE_RATE_LIMIT_PER_MINUTE: '1000' });
      const image = await sampleImage('png', 32, 32);
      for (let round = 0; round < 5; round++) {
        const answers = await Promise.all([upload(a, image, { type: 'image/png' }), upload(b, image, { type: 'image/png' })]);
        expect(answers.map((answer) => answer.status).sort(), `round ${round}`).toEqual([201, 403]);
        expect(answers.find((answer) => answer.status === 403)!.body.error.code).toBe('upload_quota_exceeded');
        const listed = await b.json('GET', '/api/uploads');
        expect(listed.body.total).toBe(1);
        const id: string = answers.find((answer) => answer.status === 201)!.body.id;
        expect((await a.fetch(`/api/uploads/${id.slice('uploads/'.length)}`, { method: 'DELETE' })).status).toBe(204);
      }
    });

    it('applies a Replicate webhook delivered to both instances once', async () => {
      const [a, b] = await twoInstances({ DOTBASE_RATE_LIMIT_PER_MINUTE: '1000' }, SLOW);
      const created = await a.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'stopped by one webhook' } });
      expect(created.status).toBe(201);
      const predictionId = (await a.dotbase.store.get(created.body.id))!.prediction_id!;
      const deliver = (server: TestServer, id: string, body: string) => {
        const timestamp = Math.floor(Date.now() / 1000);
        const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(WEBHOOK_SECRET, id, timestamp, body) };
        return server.fetch('/api/webhooks/replicate', { method: 'POST', headers, body }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
      };
      // progress deliveries, each sent to both instances at the same moment: one applies it, the other drops it
      for (let i = 0; i < 8; i++) {
        const body = JSON.stringify({ id: predictionId, status: 'processing', logs: `step ${i}` });
        const answers = await Promise.all([deliver(a, `msg_progress_${i}`, body), deliver(b, `msg_progress_${i}`, body)]);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        expect(answers.filter((answer) => answer.body.duplicate === true), `delivery ${i}`).toHaveLength(1);
      }
      // the end, at both at once: whichever takes it applies it, and both show the result
      // (the webhook URL Replicate echoes names the generation, so an instance that does not follow it applies it too)
      const webhook = `http://127.0.0.1/api/webhooks/replicate?generation=${created.body.id}`;
      const failed = JSON.stringify({ id: predictionId, status: 'failed', error: 'stopped by the test', logs: '', webhook });
      const ends = await Promise.all([deliver(b, 'msg_final', failed), deliver(a, 'msg_final', failed)]);
      expect(ends.filter((answer) => answer.body.duplicate === true)).toHaveLength(1);
      expect((await deliver(a, 'msg_final', failed)).body).toEqual({ ok: true, duplicate: true });
      for (const server of [a, b]) expect((await server.json('GET', `/api/generations/${created.body.id}`)).body.status).toBe('failed');
    });
  });
}
