import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { startServer } from '../src/start.js';
import { FAST_SIMULATOR, startTestServer, tempDir, type TestServer } from './helpers.js';

const run = promisify(execFile);
const ALICE = 'alice-key-0123456789';
const BOB = 'bob-key-0123456789ab';
const KEYS = `alice:${ALICE},bob:${BOB}`;

const item = (prompt: string) => ({ action: 'create', model_id: 'flux-schnell', prompt });
const items = (count: number) => Array.from({ length: count }, (_, i) => item(`item ${i}`));

async function waitForBatch(server: TestServer, id: string, token: string, onPoll: (batch: any) => void = () => {}, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await server.json('GET', `/api/batches/${id}`, { token });
    expect(status).toBe(200);
    onPoll(body);
    if (body.status === 'completed' || (body.status === 'canceled' && body.counts.pending + body.counts.processing === 0)) return body;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${body.status} after ${timeoutMs} ms: ${JSON.stringify(body.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Downloads a batch's ZIP and unpacks it with the system's unzip (not the library that wrote it). */
async function unzipBatch(server: TestServer, id: string, token: string): Promise<{ dir: string; names: string[] }> {
  const response = await server.fetch(`/api/batches/${id}/download`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="batch-${id}.zip"`);
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-zip-'));
  await writeFile(join(dir, 'batch.zip'), new Uint8Array(await response.arrayBuffer()));
  await run('unzip', ['-q', join(dir, 'batch.zip'), '-d', join(dir, 'out')]);
  return { dir, names: (await readdir(join(dir, 'out'))).sort() };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DOTBASE_API_KEYS: KEYS, DOTBASE_BATCH_CONCURRENCY_PER_USER: '16' });
});
afterAll(async () => {
  await server?.close();
});

describe('batches', () => {
  it('run a batch of 1 and hand its output back as a ZIP', async () => {
    const created = await server.json('POST', '/api/batches', { token: ALICE, body: { items: [item('a lone fox')] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: expect.stringMatching(/pending|processing/), items: [expect.any(String)] });
    expect(created.body.counts.pending + created.body.counts.processing).toBe(1);
    const done = await waitForBatch(server, created.body.id, ALICE);
    expect(done.counts).toEqual({ pending: 0, processing: 0, completed: 1, failed: 0, canceled: 0 });
    const generation = await server.json('GET', `/api/generations/${done.items[0]}`, { token: ALICE });
    expect(generation.body.status).toBe('completed');

    const { dir, names } = await unzipBatch(server, done.id, ALICE);
    try {
      const extension = generation.body.output_urls[0].split('.').at(-1);
      expect(names).toEqual([`001-flux-schnell.${extension}`]);
      const original = new Uint8Array(await (await server.fetch(generation.body.output_urls[0])).arrayBuffer());
      expect(new Uint8Array(await readFile(join(dir, 'out', names[0]!)))).toEqual(original);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('run a batch of 100 to the end, with every output in the ZIP named by index and model', async () => {
    const created = await server.json('POST', '/api/batches', { token: ALICE, body: { items: items(100) } });
    expect(created.status).toBe(201);
    expect(new Set(created.body.items).size).toBe(100);
    const done = await waitForBatch(server, created.body.id, ALICE, undefined, 90_000);
    expect(done.counts.completed).toBe(100);
    expect(done.generations.map((g: any) => g.index)).toEqual([...Array(100).keys()]);
    const { dir, names } = await unzipBatch(server, done.id, ALICE);
    try {
      expect(names).toHaveLength(100);
      expect(names.map((name) => name.replace(/\.\w+$/, ''))).toEqual([...Array(100).keys()].map((i) => `${String(i + 1).padStart(3, '0')}-flux-schnell`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuse 101 items, and a batch with one bad item naming its index, creating nothing', async () => {
    const before = (await server.json('GET', '/api/generations/list', { token: ALICE })).body.total;
    const tooMany = await server.json('POST', '/api/batches', { token: ALICE, body: { items: items(101) } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.message).toMatch(/items: must list at most 100 items/);

    const badShape = items(10);
    (badShape[7] as any).action = 'paint';
    const shape = await server.json('POST', '/api/batches', { token: ALICE, body: { items: badShape } });
    expect(shape.status).toBe(422);
    expect(shape.body.error.details.issues[0].path).toBe('items.7.action');

    const badModel = items(10);
    badModel[3] = { ...item('x'), model_id: 'no-such-model' };
    const model = await server.json('POST', '/api/batches', { token: ALICE, body: { items: badModel } });
    expect(model.status).toBeGreaterThanOrEqual(400);
    expect(model.status).toBeLessThan(500);
    expect(model.body.error.message).toMatch(/^items\.3/);

    const badSetting = items(5);
    badSetting[4] = { ...item('x'), settings: { aspect_ratio: '7:3' } } as any;
    const setting = await server.json('POST', '/api/batches', { token: ALICE, body: { items: badSetting } });
    expect(setting.status).toBe(422);
    expect(setting.body.error.details.issues[0].path).toMatch(/^items\.4\.settings/);

    expect((await server.json('POST', '/api/batches', { token: ALICE, body: { items: [] } })).status).toBe(422);
    expect((await server.json('GET', '/api/generations/list', { token: ALICE })).body.total).toBe(before);
  });

  it('list only the caller’s batches, and hide them from others', async () => {
    const alices = await server.json('POST', '/api/batches', { token: ALICE, body: { items: [item('alice’s')] } });
    const mine = await server.json('POST', '/api/batches', { token: BOB, body: { items: [item('bob’s')] } });
    const list = await server.json('GET', '/api/batches?limit=100', { token: BOB });
    expect(list.status).toBe(200);
    expect(list.body.items.map((b: any) => b.id)).toEqual([mine.body.id]);
    expect((await server.json('GET', '/api/batches', { token: ALICE })).body.items.map((b: any) => b.id)).toContain(alices.body.id);
    for (const path of [`/api/batches/${alices.body.id}`, `/api/batches/${alices.body.id}/download`]) {
      expect((await server.json('GET', path, { token: BOB })).status).toBe(404);
    }
    expect((await server.json('POST', `/api/batches/${alices.body.id}/cancel`, { token: BOB })).status).toBe(404);
    expect((await server.json('GET', `/api/batches/${alices.body.id}`, { token: ALICE })).body.status).not.toBe('canceled');
    expect((await server.json('GET', '/api/batches/nope', { token: BOB })).status).toBe(404);
    await waitForBatch(server, mine.body.id, BOB);
    await waitForBatch(server, alices.body.id, ALICE);
  });

  it('replay a batch sent again with the same Idempotency-Key instead of running it twice', async () => {
    const body = { items: items(2) };
    const headers = { 'idempotency-key': `batch-${crypto.randomUUID()}` };
    const first = await server.json('POST', '/api/batches', { token: ALICE, body, headers });
    const again = await server.json('POST', '/api/batches', { token: ALICE, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await server.json('POST', '/api/batches', { token: ALICE, body: { items: items(3) }, headers });
    expect(other.status).toBe(422);
    await waitForBatch(server, first.body.id, ALICE);
  });
});

describe('batches, two at a time per user', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer(
      { DOTBASE_API_KEYS: KEYS, DOTBASE_BATCH_CONCURRENCY_PER_USER: '2', DOTBASE_BATCH_CONCURRENCY: '2' },
      { simulator: { timing: { startingMs: 20, processingMs: 300, steps: 2 } } },
    );
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('cancel: waiting items end without reaching Replicate, and the download says it is unfinished until then', async () => {
    const created = await slow.json('POST', '/api/batches', { token: ALICE, body: { items: items(10) } });
    const unfinished = await slow.fetch(`/api/batches/${created.body.id}/download`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(unfinished.status).toBe(409);
    expect(((await unfinished.json()) as any).error.code).toBe('batch_unfinished');
    const canceled = await slow.json('POST', `/api/batches/${created.body.id}/cancel`, { token: ALICE });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    const done = await waitForBatch(slow, created.body.id, ALICE);
    expect(done.counts.pending + done.counts.processing).toBe(0);
    // at most two had started; the other eight never got a prediction
    const generations = await Promise.all(done.items.map(async (id: string) => (await slow.json('GET', `/api/generations/${id}`, { token: ALICE })).body));
    const neverSent = generations.filter((g) => g.status === 'canceled' && g.prediction_id === null);
    expect(neverSent.length).toBeGreaterThanOrEqual(8);
    // a cancelled batch downloads what did finish (here: nothing)
    const { dir, names } = await unzipBatch(slow, done.id, ALICE).catch(async () => ({ dir: '', names: [] as string[] }));
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(names.length).toBe(done.counts.completed);
  });

  it('never starve another user: a later user’s batch and single create finish while a big batch still waits', async () => {
    let mostAtOnce = 0;
    const big = await slow.json('POST', '/api/batches', { token: ALICE, body: { items: items(12) } });
    const small = await slow.json('POST', '/api/batches', { token: BOB, body: { items: [item('bob’s turn')] } });
    const single = await slow.json('POST', '/api/generations/create', { token: BOB, body: item('bob, directly') });
    expect(single.status).toBe(201);
    const bobs = await waitForBatch(slow, small.body.id, BOB);
    expect(bobs.counts.completed).toBe(1);
    const alices = (await slow.json('GET', `/api/batches/${big.body.id}`, { token: ALICE })).body;
    // twelve items two at a time take six rounds; bob's one waited for none of them
    expect(alices.counts.pending).toBeGreaterThan(0);
    const direct = (await slow.json('GET', `/api/generations/${single.body.id}`, { token: BOB })).body;
    expect(['processing', 'completed']).toContain(direct.status);
    const done = await waitForBatch(slow, big.body.id, ALICE, (batch) => {
      mostAtOnce = Math.max(mostAtOnce, batch.counts.processing);
    });
    expect(done.counts.completed).toBe(12);
    expect(mostAtOnce).toBeLessThanOrEqual(2);
    expect(mostAtOnce).toBeGreaterThan(0);
  }, 60_000);
});

describe('batches across a restart', () => {
  it('run the items still waiting when dotbase stopped once it is back', async () => {
    const data = await tempDir();
    const env = { PORT: '0', DOTBASE_DATA_DIR: data.dir, DOTBASE_API_KEYS: KEYS, DOTBASE_BATCH_CONCURRENCY_PER_USER: '1' };
    const options = { logger: silentLogger, simulator: { timing: { startingMs: 20, processingMs: 300, steps: 2 } }, service: { pollIntervalMs: 40 } };
    let running = await startServer({ env, ...options });
    try {
      const created = await fetch(`${running.url}/api/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}` },
        body: JSON.stringify({ items: items(4) }),
      });
      const batch = (await created.json()) as any;
      expect(batch.counts.pending).toBeGreaterThanOrEqual(3);
      await running.close();
      running = await startServer({ env, ...options, simulator: FAST_SIMULATOR });
      const deadline = Date.now() + 20_000;
      let body: any;
      do {
        await new Promise((resolve) => setTimeout(resolve, 50));
        body = await (await fetch(`${running.url}/api/batches/${batch.id}`, { headers: { authorization: `Bearer ${ALICE}` } })).json();
      } while (body.counts.pending + body.counts.processing > 0 && Date.now() < deadline);
      // the waiting items ran after the restart (the one in flight may have failed with the old simulator gone)
      expect(body.counts.pending + body.counts.processing).toBe(0);
      expect(body.counts.completed).toBeGreaterThanOrEqual(3);
    } finally {
      await running.close();
      await data.remove();
    }
  });
});
