import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/start.js';
import { silentLogger } from '../src/log.js';
import { FAST_SIMULATOR, startTestServer, tempDir, type TestServer } from './helpers.js';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef01';
const BODY = { action: 'create', model_id: 'flux-schnell', prompt: 'a fox, once' };

describe('Idempotency-Key on POST /api/generations/create', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ DOTBASE_API_KEYS: `alice:${ALICE},bob:${BOB}` });
  });
  afterAll(() => server?.close());

  const create = (token: string, body: unknown, key?: string) =>
    server.json('POST', '/api/generations/create', { token, body, ...(key !== undefined ? { headers: { 'idempotency-key': key } } : {}) });
  const total = async (token: string) => (await server.json('GET', '/api/generations/list', { token })).body.total as number;

  it('a retried create with the same key and body returns the same generation, and starts no second one', async () => {
    const first = await create(ALICE, BODY, 'retry-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // same JSON, other key order: still the same request
    const again = await create(ALICE, { prompt: BODY.prompt, model_id: BODY.model_id, action: BODY.action }, 'retry-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await total(ALICE)).toBe(1);
  });

  it('concurrent requests with one key create one generation', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(ALICE, { ...BODY, prompt: 'together' }, 'burst')));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await total(ALICE)).toBe(2);
  });

  it('the same key with a different body is a 422, and creates nothing', async () => {
    await create(ALICE, BODY, 'changed');
    const before = await total(ALICE);
    const other = await create(ALICE, { ...BODY, prompt: 'something else' }, 'changed');
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await total(ALICE)).toBe(before);
  });

  it('keys are per user: the same key from another user is a new generation', async () => {
    const alice = await create(ALICE, BODY, 'shared-key');
    const bob = await create(BOB, BODY, 'shared-key');
    expect(bob.status).toBe(201);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.body.id).not.toBe(alice.body.id);
  });

  it('a create refused for its input does not use the key up', async () => {
    const bad = await create(ALICE, { ...BODY, model_id: 'no-such-model' }, 'fix-and-retry');
    expect(bad.status).toBe(404);
    const fixed = await create(ALICE, BODY, 'fix-and-retry');
    expect(fixed.status).toBe(201);
  });

  it('refuses keys that are empty, too long or not visible ASCII', async () => {
    for (const key of ['', 'x'.repeat(256), 'with space', 'tab\there']) {
      const answer = await create(ALICE, BODY, key);
      expect(answer.status, key).toBe(400);
      expect(answer.body.error.code).toBe('invalid_idempotency_key');
    }
  });
});

describe('Idempotency-Key across a restart', () => {
  it('is remembered in the data folder: a retry after a restart gets the generation made before it', async () => {
    const temp = await tempDir();
    const env = { PORT: '0', DOTBASE_DATA_DIR: temp.dir, DOTBASE_SECRET: randomBytes(32).toString('base64url') };
    const start = () => startServer({ env, logger: silentLogger, simulator: FAST_SIMULATOR, service: { pollIntervalMs: 40 } });
    const post = (url: string, key: string) =>
      fetch(`${url}/api/generations/create`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(BODY) });
    try {
      const first = await start();
      const created = (await (await post(first.url, 'across-restart')).json()) as any;
      await first.close();
      const second = await start();
      try {
        const retried = await post(second.url, 'across-restart');
        expect(retried.status).toBe(201);
        expect(retried.headers.get('idempotent-replayed')).toBe('true');
        expect(((await retried.json()) as any).id).toBe(created.id);
        const list = (await (await fetch(`${second.url}/api/generations/list`)).json()) as any;
        expect(list.total).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      await temp.remove();
    }
  });
});
