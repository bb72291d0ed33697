import { randomBytes } from 'node:crypto';
import { connectPostgres } from '@dotbase/scale/postgres';
import { postgresAvailable, redisAvailable, startPostgresCluster, startRedisServer, startS3Server, type PostgresCluster, type RedisServer, type S3Server } from '@dotbase/scale/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { startTestServer, upload, waitForTerminal, type TestServer } from './helpers.js';
import { sampleImage } from './images.js';
import { readSse } from './sse.js';

// random, as a real DOTBASE_SECRET must be (the entropy check refuses a plain-looking one)
const SECRET = randomBytes(32).toString('base64url');

function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const log = (level: string) => (msg: string) => void lines.push({ level, msg });
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') } as Logger;
  return { logger, warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.msg) };
}

describe.skipIf(!postgresAvailable() || !redisAvailable())('dotbase on PostgreSQL, Redis and S3', () => {
  let cluster: PostgresCluster;
  let redis: RedisServer;
  let s3: S3Server;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    [cluster, redis, s3] = await Promise.all([startPostgresCluster(), startRedisServer(), startS3Server()]);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await Promise.all([cluster?.stop(), redis?.stop(), s3?.stop()]);
  });

  async function sharedEnv() {
    return {
      DATABASE_URL: await cluster.createDatabase(),
      REDIS_URL: redis.url,
      ...s3.environment(await s3.createBucket(), 'dotbase'),
      DOTBASE_SECRET: SECRET,
    };
  }

  it('serves from any instance what another stored: records, uploads and outputs', async () => {
    const env = await sharedEnv();
    const logs = recordingLogger();
    const a = await startTestServer(env, { logger: logs.logger });
    servers.push(a);
    const b = await startTestServer(env);
    servers.push(b);
    // complete setup: only the honest note about what is still per instance
    expect(logs.warnings().filter((w) => /DATABASE_URL|S3|DOTBASE_SECRET/.test(w))).toEqual([]);

    const uploaded = await upload(a, await sampleImage('png', 64, 64), { type: 'image/png' });
    expect(uploaded.status).toBe(201);
    // the upload's ownership is in PostgreSQL and its bytes in S3: the other instance lists and serves it
    const listed = await b.json('GET', '/api/uploads');
    expect(listed.body.total).toBe(1);
    expect(listed.body.items[0].id).toBe(uploaded.body.id);
    const file = await b.fetch(new URL(listed.body.items[0].url).pathname);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');

    const created = await a.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'many instances' } });
    expect(created.status).toBe(201);
    const done = await waitForTerminal(b, created.body.id);
    expect(done.status).toBe('completed');
    const output = await b.fetch(new URL(done.output_urls[0]).pathname);
    expect(output.status).toBe(200);
    expect(output.headers.get('content-type')).toMatch(/^image\//);
    expect((await b.json('GET', '/api/generations/list?page=1&limit=10')).body.total).toBe(1);
    const outputKey = new URL(done.output_urls[0]).pathname.slice('/files/'.length);
    expect(await s3.listKeys(env.DOTBASE_S3_BUCKET)).toEqual([`dotbase/${outputKey}`, `dotbase/${uploaded.body.id}`].sort());

    const sql = connectPostgres(env.DATABASE_URL, { max: 1 });
    try {
      const rows = await sql.unsafe(
        "SELECT action, status, COUNT(*) as count, AVG(processing_time_ms) as avg_time FROM generations WHERE created_at > NOW() - INTERVAL '24 hours' GROUP BY action, status;",
      );
      expect(rows.map((r) => [r['action'], r['status'], Number(r['count'])])).toEqual([['create', 'completed', 1]]);
      // the token-pool state is in Redis; the table follows within the mirror's interval (2 s)
      const seedSelect = 'SELECT id, is_active, request_count, error_count, last_used_at FROM replicate_tokens ORDER BY request_count ASC;';
      let tokens = await sql.unsafe(seedSelect);
      for (let tries = 0; tokens.reduce((sum, t) => sum + Number(t['request_count']), 0) < 1 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        tokens = await sql.unsafe(seedSelect);
      }
      expect(tokens.reduce((sum, t) => sum + Number(t['request_count']), 0)).toBe(1);
      expect(tokens.every((t) => /^tok_[0-9a-f]{12}$/.test(t['id'] as string))).toBe(true);
    } finally {
      await sql.end();
    }
  });

  it('streams to a client of one instance the progress and completion of a generation another instance runs', async () => {
    const env = await sharedEnv();
    // slower processing, so the stream opens while the generation is still running
    const slow = { simulator: { timing: { startingMs: 50, processingMs: 900, steps: 4 } } };
    const a = await startTestServer(env, slow);
    servers.push(a);
    const b = await startTestServer(env, slow);
    servers.push(b);
    const created = await a.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'events across instances' } });
    expect(created.status).toBe(201);
    const response = await b.fetch(`/api/generations/${created.body.id}/events`, { headers: { accept: 'text/event-stream' }, signal: AbortSignal.timeout(20_000) });
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: generation'))
      .map((block) => JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6)));
    expect(events[0].status).toMatch(/pending|processing/);
    expect(events.at(-1).status).toBe('completed');
    expect(events.filter((event) => event.progress !== null).length).toBeGreaterThan(1);
    // B presents the record with its own URLs
    expect(events.at(-1).output_urls[0]).toMatch(new RegExp(`^${b.url}/files/outputs/`));
  });

  it('resumes an event stream on another instance from Last-Event-ID: exactly the changes missed, no duplicates', async () => {
    const env = await sharedEnv();
    const slow = { simulator: { timing: { startingMs: 50, processingMs: 1500, steps: 6 } } };
    const [a, b, c] = await Promise.all([startTestServer(env, slow), startTestServer(env, slow), startTestServer(env, slow)]);
    servers.push(a, b, c);
    // the generation runs on B; one client follows it on C to the end, another on A drops after two messages
    const created = await b.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'resume anywhere' } });
    expect(created.status).toBe(201);
    const path = `/api/generations/${created.body.id}/events`;
    // the reference asks for every change from the first (a plain first connection would start at whatever the
    // current state is when it connects, which may already be past A's first message)
    const whole = c.fetch(path, { headers: { 'last-event-id': '0' } }).then((response) => readSse(response));
    const firstPart = await readSse(await a.fetch(path), 2);
    expect(firstPart).toHaveLength(2);
    const reference = await whole;
    expect(reference.map((message) => Number(message.id))).toEqual(reference.map((_, index) => index + 1));
    expect(reference.at(-1)!.data.status).toBe('completed');
    // an id means the same on every instance: A's messages are C's under the same ids (A's first message is the
    // current state, at least as new as its id's change, so only its id is compared; the second is that change)
    const brief = (message: { id: string | undefined; data: any }) => ({ id: message.id, status: message.data.status, progress: message.data.progress });
    const referenceIds = reference.map((message) => message.id);
    expect(firstPart.every((mine) => referenceIds.includes(mine.id))).toBe(true);
    expect(brief(firstPart[1]!)).toEqual(brief(reference.find((message) => message.id === firstPart[1]!.id)!));
    // back on C (a third instance) with the last id it had: what it missed, nothing it had
    const lastId = firstPart.at(-1)!.id!;
    const rest = await readSse(await c.fetch(path, { headers: { 'last-event-id': lastId } }));
    const missed = reference.filter((message) => Number(message.id) > Number(lastId));
    expect(missed.length).toBeGreaterThan(1);
    expect(rest).toEqual(missed);
    // and on B, where it runs, the same changes (with B's URLs)
    expect((await readSse(await b.fetch(path, { headers: { 'last-event-id': lastId } }))).map(brief)).toEqual(missed.map(brief));
  });

  it('leaves the generations another instance is running to it when an instance starts', async () => {
    const env = await sharedEnv();
    const slow = { simulator: { timing: { startingMs: 50, processingMs: 1500, steps: 4 } } };
    const a = await startTestServer(env, slow);
    servers.push(a);
    const created = await a.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'started before B' } });
    expect(created.status).toBe(201);
    // B starts while the generation runs on A: B must not resume it (its own simulator knows no such prediction)
    const b = await startTestServer(env, slow);
    servers.push(b);
    const done = await waitForTerminal(b, created.body.id);
    expect(done.status).toBe('completed');
    expect(done.output_urls).toHaveLength(1);
  });

  it('redirects file requests to short-lived presigned links when DOTBASE_S3_REDIRECT_SECONDS is set', async () => {
    const env = { ...(await sharedEnv()), DOTBASE_S3_REDIRECT_SECONDS: '120' };
    const server = await startTestServer(env);
    servers.push(server);
    const uploaded = await upload(server, await sampleImage('png', 32, 32), { type: 'image/png' });
    const redirect = await server.fetch(`/files/${uploaded.body.id}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const location = new URL(redirect.headers.get('location') as string);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('120');
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect((await server.fetch('/files/uploads/AAAAAAAAAAAAAAAAAAAAAA.png', { redirect: 'manual' })).status).toBe(404);
  });

  it('says at start which combination cannot work across instances', async () => {
    const { DATABASE_URL } = await sharedEnv();
    const logs = recordingLogger();
    const server = await startTestServer({ DATABASE_URL }, { logger: logs.logger });
    servers.push(server);
    const warnings = logs.warnings().join('\n');
    expect(warnings).toMatch(/DOTBASE_S3_BUCKET is not set: uploads and outputs stay in this machine's DOTBASE_DATA_DIR/);
    expect(warnings).toMatch(/DOTBASE_SECRET is not set/);
    // and it works on one instance: records in PostgreSQL, files in the data folder
    const created = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'pg only' } });
    expect((await waitForTerminal(server, created.body.id)).status).toBe('completed');
  });

  it('starts embedded as before with none of the variables, and names a wrong one', async () => {
    const logs = recordingLogger();
    const server = await startTestServer({}, { logger: logs.logger });
    servers.push(server);
    expect(logs.warnings().filter((w) => /DATABASE_URL|S3|instance/.test(w))).toEqual([]);
    await expect(startTestServer({ DATABASE_URL: 'mysql://user:pw@127.0.0.1/db' })).rejects.toThrow(ConfigError);
    await expect(startTestServer({ DOTBASE_S3_ENDPOINT: 'http://127.0.0.1:1' })).rejects.toThrow(/DOTBASE_S3_BUCKET: must be set/);
  });
});
