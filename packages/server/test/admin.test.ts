import { FAIL_TRIGGER } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTerminal, type TestServer } from './helpers.js';

/** The admin dashboard's API over real HTTP, against the in-process simulator. */
const ADMIN_KEY = 'key-admin-0123456789abcdef';
const ALICE_KEY = 'key-alice-0123456789abcdef';
const BOB_KEY = 'key-bob-0123456789abcdefgh';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ DOTBASE_API_KEYS: `admin:${ADMIN_KEY},alice:${ALICE_KEY},bob:${BOB_KEY}`, DOTBASE_ADMINS: 'admin' });
});
afterAll(async () => {
  await server?.close();
});

async function run(token: string, body: Record<string, unknown>) {
  const created = await server.json('POST', '/api/generations/create', { token, body: { action: 'create', model_id: 'flux-schnell', ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return waitForTerminal(server, created.body.id, token);
}

describe('admin dashboard API', () => {
  it('is for admins only: 401 without credentials, 403 for other users', async () => {
    for (const path of ['/api/admin/activity', '/api/admin/users', '/api/admin/tokens']) {
      expect((await server.json('GET', path)).status, path).toBe(401);
      const refused = await server.json('GET', path, { token: ALICE_KEY });
      expect(refused.status, path).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.any(String) });
    }
  });

  it('reports the last 24 h: counts, average and p95 time, an hourly series, failure reasons, recent failures and users', async () => {
    const done = [await run(ALICE_KEY, { prompt: 'a fox' }), await run(ALICE_KEY, { prompt: 'a hare' }), await run(BOB_KEY, { prompt: 'an owl' })];
    for (const generation of done) expect(generation.status).toBe('completed');
    const failed = await run(ALICE_KEY, { prompt: `a wolf ${FAIL_TRIGGER}` });
    expect(failed.status).toBe('failed');

    const activity = await server.json('GET', '/api/admin/activity', { token: ADMIN_KEY });
    expect(activity.status).toBe(200);
    const report = activity.body;
    expect(report.now - report.since).toBe(24 * 3_600_000);
    expect(report.bucket_ms).toBe(3_600_000);
    const completed = report.rows.find((row: { action: string; status: string }) => row.action === 'create' && row.status === 'completed');
    expect(completed.count).toBe(3);
    expect(completed.avg_processing_time_ms).toBeGreaterThan(0);
    // p95 is a bin's upper edge: at least the slowest run's time within 10 %, at most 10 % above it
    const slowest = Math.max(...done.map((generation) => generation.processing_time_ms as number));
    expect(completed.p95_processing_time_ms).toBeGreaterThanOrEqual(slowest / 1.1);
    expect(completed.p95_processing_time_ms).toBeLessThanOrEqual(slowest * 1.1);
    expect(report.rows.find((row: { status: string }) => row.status === 'failed')).toMatchObject({ action: 'create', count: 1 });
    const seriesTotal = report.series.reduce((sum: number, point: { counts: Record<string, number> }) => sum + Object.values(point.counts).reduce((a, b) => a + b, 0), 0);
    expect(seriesTotal).toBe(4);
    expect(report.series.at(-1).start).toBeLessThanOrEqual(report.now);
    expect(report.failure_reasons).toEqual([{ reason: expect.stringContaining(FAIL_TRIGGER), count: 1 }]);
    expect(report.recent_failures).toEqual([
      { id: failed.id, user_id: 'alice', action: 'create', model_id: 'flux-schnell', error: failed.error, created_at: failed.created_at, completed_at: failed.completed_at },
    ]);

    const users = await server.json('GET', '/api/admin/users', { token: ADMIN_KEY });
    expect(users.body).toEqual({
      items: [
        { user_id: 'alice', total: 3, counts: { completed: 2, failed: 1 } },
        { user_id: 'bob', total: 1, counts: { completed: 1 } },
      ],
      total: 2,
    });
    expect((await server.json('GET', '/api/admin/users?limit=1', { token: ADMIN_KEY })).body).toMatchObject({ items: [{ user_id: 'alice' }], total: 2 });
  });

  it('shows each token’s status, counts, cooldown and last error, and switches tokens off and on', async () => {
    // one 429 with a long Retry-After: the token rests, the generation moves to another token and completes
    server.simulator!.setFaults([{ kind: 'rate_limit', times: 1, retryAfterSeconds: 120 }]);
    expect((await run(BOB_KEY, { prompt: 'a heron' })).status).toBe('completed');
    const tokens = await server.json('GET', '/api/admin/tokens', { token: ADMIN_KEY });
    expect(tokens.status).toBe(200);
    expect(tokens.body.items).toHaveLength(10);
    const cooling = tokens.body.items.filter((token: { status: string }) => token.status === 'cooling');
    expect(cooling).toHaveLength(1);
    expect(cooling[0]).toMatchObject({ is_active: true, error_count: 1, last_error: expect.stringMatching(/throttled|429|rate/i) });
    expect(cooling[0].cooldown_until).toBeGreaterThan(Date.now() + 60_000);
    expect(tokens.body.items.filter((token: { status: string }) => token.status === 'ready')).toHaveLength(9);
    const requests = tokens.body.items.reduce((sum: number, token: { request_count: number }) => sum + token.request_count, 0);
    expect(requests).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(tokens.body)).not.toMatch(/r8_/);

    const id = tokens.body.items.find((token: { status: string }) => token.status === 'ready').id;
    const off = await server.json('PATCH', `/api/admin/tokens/${id}`, { token: ADMIN_KEY, body: { is_active: false } });
    expect(off.body).toMatchObject({ id, is_active: false, status: 'disabled' });
    const on = await server.json('PATCH', `/api/admin/tokens/${id}`, { token: ADMIN_KEY, body: { is_active: true } });
    expect(on.body).toMatchObject({ id, is_active: true, status: 'ready' });
  });

  it('names the field of a bad query', async () => {
    for (const path of ['/api/admin/activity?hours=0', '/api/admin/activity?hours=lots', '/api/admin/users?limit=0']) {
      const refused = await server.json('GET', path, { token: ADMIN_KEY });
      expect(refused.status, path).toBe(422);
      expect(refused.body.error.details.issues[0].path, path).toMatch(/hours|limit/);
    }
  });
});
