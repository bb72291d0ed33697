import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore, createGenerationStore, type GenerationRecord } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { connectPostgres, type Sql } from '@dotbase/scale/postgres';
import { postgresAvailable, startPostgresCluster, startS3Server, type PostgresCluster, type S3Server } from '@dotbase/scale/testing';
import { prefixStorage } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { startServer } from '../src/start.js';
import { spawnCli, type CliProcess } from './cli.js';
import { FAST_SIMULATOR, startTestServer, type TestServer } from './helpers.js';
import { sampleImage } from './images.js';

const KEYS = { alice: 'alice-key-0123456789abcdef', bob: 'bob-key-0123456789abcdef', carol: 'carol-key-0123456789abcdef' } as const;
type User = keyof typeof KEYS;
const API_KEYS = Object.entries(KEYS).map(([user, key]) => `${user}:${key}`).join(',');
/** Generations written straight into the embedded store, so an import takes long enough to be killed half-way. */
const BULK_GENERATIONS = 1200;
const BULK_FILES = 60;

/** What the embedded server answered, to compare with what the server on PostgreSQL and S3 answers. */
interface Snapshot {
  origin: string;
  generations: Record<User, any[]>;
  lists: Record<User, Record<string, any>>;
  uploads: Record<User, any>;
  /** Bytes of every file URL seen, by blob key. */
  files: Map<string, Uint8Array>;
}

const LIST_QUERIES = ['', '?action=create', '?action=upscale&status=completed', '?limit=2&page=2'];
const keyOf = (url: string) => new URL(url).pathname.replace(/^\/files\//, '');
/**
 * fetch, with one retry of a GET whose reused keep-alive connection the server closed just then (ECONNRESET), as
 * browsers do: the test client, two servers and s3rver share one busy event loop, so an idle connection can pass
 * Node's 5 s keep-alive while the client picks it.
 */
async function send(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = ((error as Error).cause as { code?: string } | undefined)?.code;
    if ((init.method ?? 'GET') !== 'GET' || code !== 'ECONNRESET') throw error;
    return fetch(url, init);
  }
}
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

async function call(base: string, user: User, method: string, path: string, body?: unknown) {
  const response = await send(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEYS[user]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function uploadAs(base: string, user: User, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), 'image');
  const response = await fetch(`${base}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${KEYS[user]}` } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; url: string };
}

async function runToEnd(base: string, user: User, body: Record<string, unknown>) {
  const created = await call(base, user, 'POST', '/api/generations/create', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (let i = 0; i < 400; i++) {
    const { body: current } = await call(base, user, 'GET', `/api/generations/${created.body.id}`);
    if (['completed', 'failed', 'canceled'].includes(current.status)) {
      expect(current.status, current.error).toBe('completed');
      return current;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`generation ${created.body.id} did not finish`);
}

/** Runs the zero-config server on `dir` with two users, generations of every action, uploads and a chain. */
async function fillWithServer(dir: string): Promise<Snapshot> {
  const server = await startServer({
    env: { PORT: '0', DOTBASE_DATA_DIR: dir, DOTBASE_API_KEYS: API_KEYS },
    logger: silentLogger,
    simulator: FAST_SIMULATOR,
    service: { pollIntervalMs: 40 },
  });
  const base = server.url;
  const snapshot: Snapshot = { origin: base, generations: { alice: [], bob: [], carol: [] }, lists: { alice: {}, bob: {}, carol: {} }, uploads: { alice: null, bob: null, carol: null }, files: new Map() };
  try {
    for (const user of ['alice', 'bob'] as const) {
      const photo = await uploadAs(base, user, await sampleImage('jpeg'));
      const drawing = await uploadAs(base, user, await sampleImage('png'));
      const created = await runToEnd(base, user, { action: 'create', model_id: 'flux-schnell', prompt: `${user}'s fox`, settings: { num_outputs: 2 } });
      await runToEnd(base, user, { action: 'edit', model_id: 'flux-kontext-pro', prompt: 'as a watercolour', input_images: [photo.id] });
      await runToEnd(base, user, { action: 'upscale', model_id: 'real-esrgan', input_images: [drawing.id], settings: { scale: 2 } });
      await runToEnd(base, user, { action: 'remove-bg', model_id: 'birefnet', input_images: [photo.id] });
      // an output fed into the next generation: its ownership matters as much as an upload's
      await runToEnd(base, user, { action: 'upscale', model_id: 'real-esrgan', input_images: [keyOf(created.output_urls[0])], settings: { scale: 2 } });
      await snapshotUser(base, user, snapshot);
    }
  } finally {
    await server.close();
  }
  return snapshot;
}

async function snapshotUser(base: string, user: User, snapshot: Snapshot) {
  const all = await call(base, user, 'GET', '/api/generations/list?limit=100');
  expect(all.status).toBe(200);
  snapshot.generations[user] = [];
  for (const item of all.body.items) snapshot.generations[user].push((await call(base, user, 'GET', `/api/generations/${item.id}`)).body);
  for (const query of LIST_QUERIES) snapshot.lists[user][query] = (await call(base, user, 'GET', `/api/generations/list${query}`)).body;
  snapshot.uploads[user] = (await call(base, user, 'GET', '/api/uploads')).body;
  const urls = [...snapshot.generations[user].flatMap((generation) => generation.output_urls as string[]), ...snapshot.uploads[user].items.map((upload: { url: string }) => upload.url)];
  for (const url of urls) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${KEYS[user]}` } });
    expect(response.status).toBe(200);
    snapshot.files.set(keyOf(url), await bytesOf(response));
  }
}

/** Many more records and files, written through core's embedded store as the server would. */
async function fillInBulk(dir: string): Promise<void> {
  const storage = fsStorage(dir);
  try {
    const store = createGenerationStore(prefixStorage(storage, 'generations'));
    const blobs = createBlobStore(prefixStorage(storage, 'blobs'));
    const outputs: string[] = [];
    for (let i = 0; i < BULK_FILES; i++) outputs.push((await blobs.put(new Uint8Array([0x89, 0x50, 0x4e, 0x47, i]), 'image/png', 'outputs')).key);
    const actions = ['create', 'edit', 'upscale', 'remove-bg'] as const;
    const statuses = ['completed', 'failed', 'canceled'] as const;
    const start = Date.now() - 3_600_000;
    await Promise.all(
      Array.from({ length: BULK_GENERATIONS }, (_, i): GenerationRecord => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        user_id: 'carol',
        action: actions[i % actions.length]!,
        model_id: 'flux-schnell',
        prompt: `bulk ${i}`,
        settings: { n: i },
        input_images: [],
        mask: null,
        status: statuses[i % statuses.length]!,
        prediction_id: `p${i}`,
        token_id: null,
        output_keys: i % 3 === 0 ? [outputs[i % BULK_FILES]!] : [],
        error: i % 3 === 1 ? 'model failed' : null,
        progress: i % 3 === 0 ? 100 : null,
        created_at: start + i,
        started_at: start + i + 1,
        completed_at: start + i + 10,
        processing_time_ms: 9,
      })).map((record) => store.create(record)),
    );
  } finally {
    await storage.dispose();
  }
}

async function waitForLine(cli: CliProcess, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (cli.lines.some((line) => pattern.test(line))) return;
    if (cli.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no line like ${pattern}: ${cli.lines.join('\n')}\n${cli.stderr()}`);
}

// each run of the CLI starts tsx and loads the AWS SDK: seconds on a busy 2-core machine
describe.skipIf(!postgresAvailable())('dotbase import', { timeout: 240_000 }, () => {
  let cluster: PostgresCluster;
  let s3: S3Server;
  let dir: string;
  let snapshot: Snapshot;
  let databaseUrl: string;
  let bucket: string;
  let sql: Sql;
  let env: Record<string, string>;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    [cluster, s3, dir] = await Promise.all([startPostgresCluster(), startS3Server(), mkdtemp(join(tmpdir(), 'dotbase-import-'))]);
    snapshot = await fillWithServer(dir);
    await fillInBulk(dir);
    databaseUrl = await cluster.createDatabase();
    bucket = await s3.createBucket();
    sql = connectPostgres(databaseUrl, { max: 2 });
    env = {
      DATABASE_URL: databaseUrl,
      ...s3.environment(bucket, 'moved'),
    };
  }, 240_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    await sql?.end({ timeout: 1 });
    await Promise.all([cluster?.stop(), s3?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sourceFiles = () => snapshot.files.size + BULK_FILES;
  const sourceGenerations = () => snapshot.generations.alice.length + snapshot.generations.bob.length + BULK_GENERATIONS;

  async function importCli(extraEnv: Record<string, string> = env, args = ['import', dir]) {
    const cli = spawnCli(extraEnv, args);
    const code = await cli.exited;
    return { code, out: cli.lines.join('\n'), err: cli.stderr() };
  }

  async function targetCounts() {
    // one page of up to 1000 keys: far more than this folder holds
    const objects = (await s3.listKeys(bucket)).length;
    const [generations] = await sql`SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM generations`;
    const [entries] = await sql`SELECT count(*)::int AS n FROM dotbase_kv`;
    return { objects, generations: generations!['n'] as number, distinctIds: generations!['distinct_ids'] as number, entries: entries!['n'] as number };
  }

  it('refuses without a target and refuses a folder that is not an embedded data folder', async () => {
    const unconfigured = await importCli({}, ['import', dir]);
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.out).toMatch(/nothing to import into: set DATABASE_URL .* DOTBASE_S3_BUCKET/);
    const misconfigured = await importCli({ ...env, DOTBASE_S3_BUCKET: 'Not_A_Bucket' }, ['import', dir]);
    expect(misconfigured.code).toBe(2);
    expect(misconfigured.out).toMatch(/refused: invalid configuration:\n\s+DOTBASE_S3_BUCKET: must be a bucket name/);

    const empty = await mkdtemp(join(tmpdir(), 'dotbase-not-data-'));
    try {
      const refused = await importCli(env, ['import', empty]);
      expect(refused.code).toBe(2);
      expect(refused.out).toMatch(/refused: .* holds no records\.lmdb: not an embedded dotbase data folder/);
      expect(existsSync(join(empty, 'records.lmdb'))).toBe(false);
      const missing = await importCli(env, ['import', join(empty, 'nope')]);
      expect(missing.code).toBe(2);
      expect(missing.out).toMatch(/refused: .*nope is not a folder, so it holds no records\.lmdb/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    // nothing was written by the refusals
    expect((await sql`SELECT to_regclass('generations') AS t`)[0]!['t']).toBeNull();
  });

  it('killed half-way, run again, imports everything once; a third run changes nothing', async () => {
    const killed = spawnCli(env, ['import', dir]);
    await waitForLine(killed, /generations \d+\/\d+/);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBeNull();
    const partial = await targetCounts();
    // files and entries come first, so generations were under way
    expect(partial.objects).toBe(sourceFiles());
    expect(partial.generations).toBeGreaterThan(0);
    expect(partial.generations).toBeLessThan(sourceGenerations());

    const resumed = await importCli();
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain(`files: 0 copied, ${sourceFiles()} already there`);
    expect(resumed.out).toContain(`generations: ${sourceGenerations() - partial.generations} imported, 0 updated (finished since the last import), ${partial.generations} already there`);
    expect(resumed.out).toMatch(/set DOTBASE_SECRET to its contents on every instance/);
    const secret = (await readFile(join(dir, 'secret'), 'utf8')).trim();
    expect(resumed.out + resumed.err).not.toContain(secret);
    expect(resumed.out + resumed.err).not.toContain(s3.credentials.secretAccessKey + '/');
    const complete = await targetCounts();
    expect(complete).toMatchObject({ objects: sourceFiles(), generations: sourceGenerations(), distinctIds: sourceGenerations() });

    const again = await importCli();
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`files: 0 copied, ${sourceFiles()} already there`);
    expect(again.out).toContain(`key-value entries (upload ownership and lists): 0 copied, ${complete.entries} already there`);
    expect(again.out).toContain(`generations: 0 imported, 0 updated (finished since the last import), ${sourceGenerations()} already there`);
    expect(await targetCounts()).toEqual(complete);
  });

  it('two servers on PostgreSQL and S3 answer every generation, list, file and upload as the embedded one did, to the same users', async () => {
    const secret = (await readFile(join(dir, 'secret'), 'utf8')).trim();
    // two instances on the same PostgreSQL and bucket, wired by the environment as in production; reads alternate
    const shared = { ...env, DOTBASE_SECRET: secret, DOTBASE_API_KEYS: API_KEYS };
    const instances = [await startTestServer(shared), await startTestServer(shared)];
    servers.push(...instances);
    let turn = 0;
    const next = () => instances[turn++ % instances.length]!.url;
    const asBefore = (value: unknown) => JSON.parse(instances.reduce((text, instance) => text.replaceAll(instance.url, snapshot.origin), JSON.stringify(value)));

    for (const user of ['alice', 'bob'] as const) {
      expect(snapshot.generations[user]).toHaveLength(5);
      for (const before of snapshot.generations[user]) {
        const now = await call(next(), user, 'GET', `/api/generations/${before.id}`);
        expect(now.status).toBe(200);
        expect(asBefore(now.body)).toEqual(before);
        for (const url of now.body.output_urls as string[]) {
          const response = await send(`${next()}${new URL(url).pathname}`);
          expect(response.status).toBe(200);
          expect(await bytesOf(response)).toEqual(snapshot.files.get(keyOf(url)));
        }
      }
      for (const query of LIST_QUERIES) expect(asBefore((await call(next(), user, 'GET', `/api/generations/list${query}`)).body)).toEqual(snapshot.lists[user][query]);
      const uploads = await call(next(), user, 'GET', '/api/uploads');
      expect(uploads.body.items).toHaveLength(2);
      expect(asBefore(uploads.body)).toEqual(snapshot.uploads[user]);
      for (const upload of uploads.body.items) expect(await bytesOf(await send(`${next()}${new URL(upload.url).pathname}`))).toEqual(snapshot.files.get(keyOf(upload.url)));
    }

    // the bulk user's history, listed by PostgreSQL
    const carol = await call(next(), 'carol', 'GET', '/api/generations/list?action=create&limit=1');
    expect(carol.body.total).toBe(BULK_GENERATIONS / 4);

    // ownership moved too: alice can feed her upload and her output into new generations, bob cannot use hers
    const alicePhoto = snapshot.uploads.alice.items[0].id as string;
    const aliceOutput = keyOf(snapshot.generations.alice.find((generation) => generation.action === 'create').output_urls[0]);
    const theft = await call(next(), 'bob', 'POST', '/api/generations/create', { action: 'upscale', model_id: 'real-esrgan', input_images: [alicePhoto] });
    expect(theft.status).toBeGreaterThanOrEqual(400);
    expect(theft.status).toBeLessThan(500);
    expect((await call(next(), 'bob', 'GET', `/api/generations/${snapshot.generations.alice[0].id}`)).status).toBe(404);
    const fromUpload = await runToEnd(next(), 'alice', { action: 'upscale', model_id: 'real-esrgan', input_images: [alicePhoto], settings: { scale: 2 } });
    const fromOutput = await runToEnd(next(), 'alice', { action: 'upscale', model_id: 'real-esrgan', input_images: [aliceOutput], settings: { scale: 2 } });
    for (const generation of [fromUpload, fromOutput]) expect((await send(generation.output_urls[0])).status).toBe(200);
    expect((await call(next(), 'alice', 'GET', '/api/generations/list?limit=1')).body.total).toBe(7);
  });
});
