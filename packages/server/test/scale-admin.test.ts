import { randomBytes } from 'node:crypto';
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from '@dotbase/scale/testing';
import { FAIL_TRIGGER } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTerminal, type TestServer } from './helpers.js';

const ADMIN_KEY = 'key-admin-0123456789abcdef';
const ALICE_KEY = 'key-alice-0123456789abcdef';
// random, as a real DOTBASE_SECRET must be (the entropy check refuses a plain-looking one)
const SECRET = randomBytes(32).toString('base64url');

/**
 * What main added beside generations (the admin dashboard, Idempotency-Key), with two instances on one
 * PostgreSQL (DATABASE_URL; files stay local, the in-process simulator of each instance answers).
 */
describe.skipIf(!postgresAvailable())('admin dashboard and Idempotency-Key on PostgreSQL, two instances', () => {
  let cluster: PostgresCluster;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    const env = { DATABASE_URL: await cluster.createDatabase(), DOTBASE_SECRET: SECRET, DOTBASE_API_KEYS: `admin:${ADMIN_KEY},alice:${ALICE_KEY}`, DOTBASE_ADMINS: 'admin' };
    a = await startTestServer(env);
    b = await startTestServer(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
  });

  const create = (server: TestServer, prompt: string, key?: string) =>
    server.json('POST', '/api/generations/create', {
      token: ALICE_KEY,
      body: { action: 'create', model_id: 'flux-schnell', prompt },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });

  it('one Idempotency-Key sent to both instances at once creates one generation', async () => {
    const answers = await Promise.all([create(a, 'a fox', 'both-at-once'), create(b, 'a fox', 'both-at-once')]);
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
    for (const answer of answers.filter((answer) => answer.status !== 201)) expect(answer.body.error.code).toBe('idempotency_key_in_use');
    // the loser's retry is a replay of the same generation
    const retried = await create(b, 'a fox', 'both-at-once');
    expect(retried.body.id).toBe(created[0]!.body.id);
    expect((await a.json('GET', '/api/generations/list', { token: ALICE_KEY })).body.total).toBe(1);
    expect((await waitForTerminal(a, created[0]!.body.id, ALICE_KEY)).status).toBe('completed');
  });

  it('reports activity and users from PostgreSQL, the same on either instance', async () => {
    const failed = await create(a, `a wolf ${FAIL_TRIGGER}`);
    expect(failed.status).toBe(201);
    const ended = await waitForTerminal(a, failed.body.id, ALICE_KEY);
    expect(ended.status).toBe('failed');
    const reports = await Promise.all([a, b].map((server) => server.json('GET', '/api/admin/activity', { token: ADMIN_KEY })));
    for (const { status, body } of reports) {
      expect(status).toBe(200);
      expect(body.bucket_ms).toBe(3_600_000);
      const completed = body.rows.find((row: { status: string }) => row.status === 'completed');
      expect(completed).toMatchObject({ action: 'create', count: 1 });
      expect(completed.p95_processing_time_ms).toBeGreaterThan(0);
      expect(body.failure_reasons).toEqual([{ reason: expect.stringContaining(FAIL_TRIGGER), count: 1 }]);
      expect(body.recent_failures).toEqual([
        { id: ended.id, user_id: 'alice', action: 'create', model_id: 'flux-schnell', error: ended.error, created_at: ended.created_at, completed_at: ended.completed_at },
      ]);
      const seriesTotal = body.series.reduce((sum: number, point: { counts: Record<string, number> }) => sum + Object.values(point.counts).reduce((x, y) => x + y, 0), 0);
      expect(seriesTotal).toBe(2);
    }
    const users = await b.json('GET', '/api/admin/users', { token: ADMIN_KEY });
    expect(users.body).toEqual({ items: [{ user_id: 'alice', total: 2, counts: { completed: 1, failed: 1 } }], total: 1 });
  });
});
