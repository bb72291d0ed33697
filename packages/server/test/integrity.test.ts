import { randomBytes } from 'node:crypto';
import { cp, readdir, readFile, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { fsStorage } from '@dotbase/core/node';
import { signWebhook } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger, silentLogger, type Logger } from '../src/log.js';
import { startServer } from '../src/start.js';
import { spawnCli } from './cli.js';
import { FAST_SIMULATOR, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from './helpers.js';
import { sampleImage } from './images.js';

/** A fresh random secret: the server refuses ones that look made up. */
const SECRET = randomBytes(32).toString('base64url');
const removals: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const remove of removals) await remove();
});

async function freshDir(): Promise<string> {
  const temp = await tempDir();
  removals.push(temp.remove);
  return temp.dir;
}

function start(dir: string, env: Record<string, string> = {}, logger: Logger = silentLogger) {
  return startServer({
    env: { PORT: '0', DOTBASE_DATA_DIR: dir, DOTBASE_SECRET: SECRET, ...env },
    logger,
    simulator: FAST_SIMULATOR,
    service: { pollIntervalMs: 40 },
  });
}

async function createDone(url: string, prompt: string): Promise<any> {
  const answer = await fetch(`${url}/api/generations/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'wait=20' },
    body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt }),
  });
  const body = (await answer.json()) as any;
  expect(body.status).toBe('completed');
  return body;
}

/** A data folder as a server leaves it: three completed generations and an upload. */
let seeded: string;
let seededIds: string[];
beforeAll(async () => {
  seeded = await freshDir();
  const server = await start(seeded);
  try {
    seededIds = [];
    for (const prompt of ['one', 'two', 'three']) seededIds.push((await createDone(server.url, prompt)).id);
    const form = new FormData();
    form.append('file', new Blob([(await sampleImage('png')) as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'a.png');
    expect((await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form })).status).toBe(201);
  } finally {
    await server.close();
  }
});

async function copyOfSeeded(): Promise<string> {
  const dir = await freshDir();
  await cp(seeded, dir, { recursive: true });
  return dir;
}

describe('a damaged records.lmdb', () => {
  const cases: Array<[string, (file: string) => Promise<void>, RegExp]> = [
    ['truncated', async (file) => truncate(file, Math.floor((await stat(file)).size / 2)), /is truncated/],
    ['overwritten with garbage', async (file) => writeFile(file, randomBytes((await stat(file)).size)), /is not an LMDB database/],
    ['emptied', (file) => truncate(file, 0), /is empty/],
    ['deleted while images remain', (file) => rm(file), /is missing, but .*blobs still holds stored images/],
  ];

  it.each(cases)('%s: the server refuses to start with a message naming the file and how to recover (no crash, no empty start)', { timeout: 60_000 }, async (_name, damage, problem) => {
    const dir = await copyOfSeeded();
    const file = join(dir, 'records.lmdb');
    await damage(file);
    const cli = spawnCli({ PORT: '0', DOTBASE_DATA_DIR: dir, DOTBASE_SECRET: SECRET });
    try {
      // a server that starts anyway (empty, or until it touches a bad page) fails the test at once
      const outcome = await Promise.race([cli.exited.then((code) => ({ code })), cli.listening.then(() => 'listening' as const, () => cli.exited.then((code) => ({ code })))]);
      expect(outcome).toEqual({ code: 1 });
      expect(cli.child.signalCode).toBeNull();
      expect(cli.stderr()).toContain(file);
      expect(cli.stderr()).toMatch(problem);
      expect(cli.stderr()).toMatch(/backup/);
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
    }
  });

  it('an intact copy starts and lists everything', async () => {
    const server = await start(await copyOfSeeded());
    try {
      const list = (await (await fetch(`${server.url}/api/generations/list`)).json()) as any;
      expect(list.total).toBe(3);
    } finally {
      await server.close();
    }
  });
});

/**
 * Overwrites the stored value of one generation inside the LMDB data pages (the header stays intact): every copy of
 * it, since copy-on-write leaves older versions in freed pages and the live one may be any of them. The bytes hit
 * start at the record's first key, so the value no longer reads as the record it was.
 */
async function damageRecord(file: string, id: string): Promise<number> {
  const bytes = await readFile(file);
  const needle = Buffer.from(`{"record":{"id":"${id}"`);
  let hits = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    randomBytes(24).copy(bytes, at + 1);
    hits += 1;
  }
  await writeFile(file, bytes);
  return hits;
}

async function untilExit(cli: ReturnType<typeof spawnCli>) {
  return Promise.race([cli.exited.then((code) => ({ code })), cli.listening.then(() => 'listening' as const, () => cli.exited.then((code) => ({ code })))]);
}

describe('bytes damaged inside a data page of records.lmdb (its header intact)', () => {
  it('the server refuses to start with a message naming the file, the damaged entry and how to recover', { timeout: 60_000 }, async () => {
    const dir = await copyOfSeeded();
    const file = join(dir, 'records.lmdb');
    expect(await damageRecord(file, seededIds[1]!)).toBeGreaterThan(0);
    const cli = spawnCli({ PORT: '0', DOTBASE_DATA_DIR: dir, DOTBASE_SECRET: SECRET });
    try {
      expect(await untilExit(cli)).toEqual({ code: 1 });
      expect(cli.child.signalCode).toBeNull();
      const stderr = cli.stderr();
      expect(stderr).toContain(file);
      expect(stderr).toMatch(/is damaged: 1 of \d+ entries/);
      expect(stderr).toContain(`generations:gen:${seededIds[1]}`);
      expect(stderr).toMatch(/backup/);
      expect(stderr).toMatch(/DOTBASE_VERIFY_STORE=off/);
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
    }
  });

  it('with DOTBASE_VERIFY_STORE=off it starts, serves the intact records, and a damaged one answers 500 storage_damaged, logged once', { timeout: 60_000 }, async () => {
    const dir = await copyOfSeeded();
    expect(await damageRecord(join(dir, 'records.lmdb'), seededIds[1]!)).toBeGreaterThan(0);
    const lines: string[] = [];
    const server = await start(dir, { DOTBASE_VERIFY_STORE: 'off' }, jsonLogger((line) => lines.push(line)));
    try {
      expect(lines.some((line) => line.includes('records.lmdb is not verified at start'))).toBe(true);
      const intact = await fetch(`${server.url}/api/generations/${seededIds[0]}`);
      expect(intact.status).toBe(200);
      for (const path of [`/api/generations/${seededIds[1]}`, '/api/generations/list', '/api/generations/list']) {
        const answer = await fetch(`${server.url}${path}`);
        const text = await answer.text();
        expect(answer.status, path).toBe(500);
        expect(answer.headers.get('content-type')).toMatch(/application\/json/);
        const body = JSON.parse(text);
        expect(body.error.code).toBe('storage_damaged');
        expect(body.error.message).toMatch(/damaged.*restore.*backup/);
        // no internals: no stack, no file path, no key
        expect(text).not.toMatch(/records\.lmdb|generations:gen|at .*\.ts|\n {4}at /);
        expect(text).not.toContain(dir);
      }
      const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'stored data is damaged');
      expect(logged).toHaveLength(1);
      expect(logged[0].level).toBe('error');
      expect(logged[0].message).toContain(`gen:${seededIds[1]}`);
      expect(logged[0].recovery).toMatch(/backup/);
    } finally {
      await server.close();
    }
  });
});

describe('dotbase verify', () => {
  async function verify(target: string) {
    const cli = spawnCli({}, ['verify', target]);
    // 'close', not 'exit': every line printed is read by then
    await once(cli.child, 'close');
    return { code: cli.child.exitCode, out: cli.lines.join('\n') };
  }

  it('exits 0 for an intact data folder and 1 naming every damaged entry of a damaged one (or of a backup file)', { timeout: 60_000 }, async () => {
    const intact = await verify(seeded);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.out).toMatch(/records\.lmdb: \d+ entries, none damaged/);

    const dir = await copyOfSeeded();
    const file = join(dir, 'records.lmdb');
    await damageRecord(file, seededIds[2]!);
    const damaged = await verify(file);
    expect(damaged.code).toBe(1);
    expect(damaged.out).toContain(`${file}: 1 of `);
    expect(damaged.out).toContain(`"generations:gen:${seededIds[2]}": `);
    expect(damaged.out).toMatch(/backup/);
  });

  it('a truncated file is reported, not a crash', { timeout: 60_000 }, async () => {
    const dir = await copyOfSeeded();
    await truncate(join(dir, 'records.lmdb'), 8192);
    const result = await verify(dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/is truncated/);
  });
});

describe('indexes are reconciled at start', () => {
  it('drops index entries of records that were never written, so the total matches the items', async () => {
    const dir = await copyOfSeeded();
    // what a kill between the index write and the record write leaves: an index entry without its record
    const storage = fsStorage(dir);
    expect(await storage.hasItem(`generations:gen:${seededIds[1]}`)).toBe(true);
    await storage.removeItem(`generations:gen:${seededIds[1]}`);
    await storage.dispose();
    const server = await start(dir);
    try {
      const list = (await (await fetch(`${server.url}/api/generations/list`)).json()) as any;
      expect(list.items.map((item: any) => item.id).sort()).toEqual([seededIds[0], seededIds[2]].sort());
      expect(list.total).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('stored files that went missing', () => {
  it('answer 410 file_missing (deleted or emptied outside dotbase), not a 404 that looks like a wrong link, nor an empty 200', async () => {
    const dir = await copyOfSeeded();
    const server = await start(dir);
    try {
      const list = (await (await fetch(`${server.url}/api/generations/list`)).json()) as any;
      const [deleted, emptied] = list.items.map((item: any) => item.output_urls[0] as string);
      const fileOf = (url: string) => join(dir, 'blobs', new URL(url).pathname.replace('/files/', ''));
      await rm(fileOf(deleted));
      await truncate(fileOf(emptied), 0);
      for (const url of [deleted, emptied]) {
        const answer = await fetch(url);
        expect(answer.status, url).toBe(410);
        expect(((await answer.json()) as any).error.code).toBe('file_missing');
      }
      // a key that was never stored is still a plain 404
      expect((await fetch(`${server.url}/files/outputs/AAAAAAAAAAAAAAAAAAAAAA.png`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('outputs are verified before a generation completes', () => {
  let server: TestServer;
  let origin: Server;
  let originPort: number;

  beforeAll(async () => {
    origin = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(request.url === '/text.png' ? 'not an image at all' : '');
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    originPort = (origin.address() as AddressInfo).port;
    server = await startTestServer(
      { DOTBASE_OUTPUT_HOSTS: `127.0.0.1:${originPort}` },
      { service: { pollIntervalMs: 600_000 }, simulator: { timing: { startingMs: 10, processingMs: 600_000 } } },
    );
  });
  afterAll(async () => {
    await server?.close();
    origin.closeAllConnections();
    await new Promise((resolve) => origin.close(resolve));
  });

  async function completeWith(output: string) {
    const created = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'verify' } });
    const body = JSON.stringify({ id: created.body.prediction_id, status: 'succeeded', output: [output], error: null });
    const id = `msg_${crypto.randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const delivered = await server.fetch('/api/webhooks/replicate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(server.simulator!.webhookSecret, id, timestamp, body) },
      body,
    });
    expect(delivered.status).toBe(200);
    return waitForTerminal(server, created.body.id);
  }

  it('a 0-byte output fails the generation instead of completing it', async () => {
    const done = await completeWith(`http://127.0.0.1:${originPort}/empty.png`);
    expect(done).toMatchObject({ status: 'failed', output_urls: [] });
    expect(done.error).toMatch(/empty/);
  });

  it('an output that is no image fails it, whatever Content-Type it came with', async () => {
    const done = await completeWith(`http://127.0.0.1:${originPort}/text.png`);
    expect(done).toMatchObject({ status: 'failed', output_urls: [] });
    expect(done.error).toMatch(/not a PNG, JPEG, WebP or GIF/);
    expect(await readdir(join(server.dir, 'blobs', 'outputs')).catch(() => [])).toEqual([]);
  });
});
