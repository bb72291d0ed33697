import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTerminal, type TestServer } from './helpers.js';

const BOT = '123456:TEST-bot-token-for-dotbase-server';
const BACKEND_KEY = 'key-backend-0123456789';
const OTHER_KEY = 'key-other-0123456789abc';
const SHOP = 'https://shop.example';

function signLogin(fields: Record<string, string | number>, bot = BOT) {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  return { ...fields, hash: createHmac('sha256', createHash('sha256').update(bot).digest()).update(check).digest('hex') };
}

function signInitData(fields: Record<string, string>, bot = BOT): string {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(bot).digest();
  return new URLSearchParams({ ...fields, hash: createHmac('sha256', secret).update(check).digest('hex') }).toString();
}

const nowS = () => Math.floor(Date.now() / 1000);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    DOTBASE_API_KEYS: `backend:${BACKEND_KEY},other:${OTHER_KEY}`,
    TELEGRAM_BOT_TOKEN: BOT,
    TELEGRAM_BOT_USERNAME: '@Dotbase_Test_Bot',
    TELEGRAM_ALLOWED_USERNAMES: 'alice,@Bob',
    DOTBASE_ADMINS: 'alice,backend',
    DOTBASE_CORS_ORIGINS: SHOP,
  });
});
afterAll(async () => {
  await server?.close();
});

async function telegramSignIn(body: unknown) {
  const response = await server.fetch('/api/auth/telegram', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any, cookie: response.headers.get('set-cookie') };
}

describe('without credentials', () => {
  it('answers 401 with the JSON error shape, except for health', async () => {
    for (const path of ['/api/auth/me', '/api/generations/list', '/api/models/list', '/api/admin/tokens', '/api/uploads']) {
      const { status, body } = await server.json('GET', path);
      expect(status, path).toBe(401);
      expect(body.error).toMatchObject({ code: 'unauthenticated', message: expect.any(String) });
    }
    expect((await server.json('GET', '/api/health')).body).toMatchObject({ status: 'ok', mode: 'simulator' });
  });

  it('health says how to sign in, with the bot id and username but never the token', async () => {
    const { body } = await server.json('GET', '/api/health');
    expect(body.sign_in).toEqual({ telegram: { bot_id: 123456, bot_username: 'dotbase_test_bot' }, api_keys: true, anonymous: false });
    expect(JSON.stringify(body)).not.toContain(BOT.slice(BOT.indexOf(':') + 1));
  });
});

describe('API keys', () => {
  it('identify their user; admins come from DOTBASE_ADMINS', async () => {
    expect((await server.json('GET', '/api/auth/me', { token: BACKEND_KEY })).body).toEqual({ user: { id: 'backend', username: 'backend' }, is_admin: true });
    expect((await server.json('GET', '/api/auth/me', { token: OTHER_KEY })).body).toEqual({ user: { id: 'other', username: 'other' }, is_admin: false });
    expect((await server.json('GET', '/api/auth/me', { token: `${BACKEND_KEY}x` })).status).toBe(401);
  });
});

describe('admin routes', () => {
  it('show the token pool without any token, to admins only', async () => {
    const tokens = await server.json('GET', '/api/admin/tokens', { token: BACKEND_KEY });
    expect(tokens.status).toBe(200);
    expect(tokens.body.items).toHaveLength(10);
    expect(tokens.body.items[0]).toEqual({
      id: expect.any(String),
      is_active: true,
      request_count: expect.any(Number),
      error_count: expect.any(Number),
      in_flight: expect.any(Number),
      last_used_at: null,
      last_error: null,
      cooldown_until: null,
      status: 'ready',
    });
    expect(JSON.stringify(tokens.body)).not.toMatch(/r8_/);
    expect((await server.json('GET', '/api/admin/tokens', { token: OTHER_KEY })).status).toBe(403);
  });

  it('disable and enable a token; unknown ids are 404; bad bodies name the field', async () => {
    const { body } = await server.json('GET', '/api/admin/tokens', { token: BACKEND_KEY });
    const id = body.items[0].id;
    const off = await server.json('PATCH', `/api/admin/tokens/${id}`, { token: BACKEND_KEY, body: { is_active: false } });
    expect(off).toMatchObject({ status: 200, body: { id, is_active: false } });
    const on = await server.json('PATCH', `/api/admin/tokens/${id}`, { token: BACKEND_KEY, body: { is_active: true } });
    expect(on.body.is_active).toBe(true);
    expect((await server.json('PATCH', '/api/admin/tokens/nope', { token: BACKEND_KEY, body: { is_active: false } })).status).toBe(404);
    const bad = await server.json('PATCH', `/api/admin/tokens/${id}`, { token: BACKEND_KEY, body: { is_active: 'no' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.issues[0].path).toBe('is_active');
    expect((await server.json('PATCH', `/api/admin/tokens/${id}`, { token: OTHER_KEY, body: { is_active: false } })).status).toBe(403);
  });

  it('report 24 h statistics by action and status', async () => {
    const created = await server.json('POST', '/api/generations/create', { token: OTHER_KEY, body: { action: 'create', model_id: 'flux-schnell', prompt: 'stats' } });
    await waitForTerminal(server, created.body.id, OTHER_KEY);
    const stats = await server.json('GET', '/api/admin/stats', { token: BACKEND_KEY });
    expect(stats.status).toBe(200);
    const row = stats.body.items.find((item: { action: string; status: string }) => item.action === 'create' && item.status === 'completed');
    expect(row).toMatchObject({ count: expect.any(Number), avg_processing_time_ms: expect.any(Number) });
    expect(row.count).toBeGreaterThanOrEqual(1);
    expect((await server.json('GET', '/api/admin/stats?hours=0', { token: BACKEND_KEY })).status).toBe(422);
  });
});

describe('Telegram sign-in', () => {
  const fields = () => ({ id: 42, first_name: 'Alice', username: 'Alice', auth_date: nowS() - 30 });

  it('a valid Login Widget payload sets an HttpOnly, SameSite cookie that signs the user in', async () => {
    const signed = await telegramSignIn(signLogin(fields()));
    expect(signed.status).toBe(200);
    expect(signed.body).toEqual({ user: { id: 'telegram:42', username: 'Alice' }, is_admin: true });
    expect(signed.cookie).toMatch(/^dotbase_session=/);
    expect(signed.cookie).toMatch(/HttpOnly/i);
    expect(signed.cookie).toMatch(/SameSite=Lax/i);
    expect(signed.cookie).not.toMatch(/Secure/i); // plain http here
    const cookie = signed.cookie!.split(';')[0]!;
    const me = await server.json('GET', '/api/auth/me', { headers: { cookie } });
    expect(me.body).toEqual({ user: { id: 'telegram:42', username: 'Alice' }, is_admin: true });

    const out = await server.fetch('/api/auth/logout', { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/dotbase_session=;.*Max-Age=0/i);
  });

  it('refuses forged, expired and unlisted users', async () => {
    const forged = { ...signLogin(fields()), username: 'alice2' };
    expect((await telegramSignIn(forged)).status).toBe(401);
    expect((await telegramSignIn(signLogin(fields(), '999:another-bot-token-xxxxxxxxxxxx'))).status).toBe(401);
    expect((await telegramSignIn(signLogin({ ...fields(), auth_date: nowS() - 25 * 3600 }))).status).toBe(401);
    const stranger = await telegramSignIn(signLogin({ ...fields(), id: 66, username: 'mallory' }));
    expect(stranger.status).toBe(403);
    expect(stranger.cookie).toBeNull();
    expect((await telegramSignIn({ nonsense: true })).status).toBe(422);
  });

  it('accepts Mini App initData; the allowlist ignores case and @', async () => {
    const initData = signInitData({ user: JSON.stringify({ id: 7, username: 'bob' }), auth_date: String(nowS()) });
    const signed = await telegramSignIn({ init_data: initData });
    expect(signed.status).toBe(200);
    expect(signed.body).toEqual({ user: { id: 'telegram:7', username: 'bob' }, is_admin: false });
    const cookie = signed.cookie!.split(';')[0]!;
    expect((await server.json('GET', '/api/admin/tokens', { headers: { cookie } })).status).toBe(403);
    const tampered = initData.replace('bob', 'alice');
    expect((await telegramSignIn({ init_data: tampered })).status).toBe(401);
  });
});

describe('embed tokens', () => {
  async function mint(body: unknown, token = BACKEND_KEY, headers: Record<string, string> = {}) {
    return server.json('POST', '/api/auth/embed-tokens', { token, body, headers });
  }

  it('are minted with an API key and work only from their origins', async () => {
    const minted = await mint({ user_id: 'u-17', origins: [SHOP], ttl_seconds: 120 });
    expect(minted.status).toBe(201);
    expect(minted.body.token).toMatch(/^dbe_/);
    expect(minted.body.expires_at).toBeGreaterThan(Date.now() + 100_000);
    const token = minted.body.token;

    const fromShop = await server.json('GET', '/api/auth/me', { token, headers: { origin: SHOP } });
    expect(fromShop.body).toEqual({ user: { id: 'backend:u-17', username: 'u-17' }, is_admin: false });
    expect(fromShop.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect((await server.json('GET', '/api/auth/me', { token, headers: { origin: 'https://evil.example' } })).status).toBe(401);
    expect((await server.json('GET', '/api/auth/me', { token })).status).toBe(401);

    // an embed token is an end user: it cannot reach the admin routes or mint more tokens
    expect((await server.json('GET', '/api/admin/tokens', { token, headers: { origin: SHOP } })).status).toBe(403);
    expect((await mint({ user_id: 'u-18', origins: [SHOP] }, token, { origin: SHOP })).status).toBe(403);
  });

  it("keep two backends' users apart", async () => {
    const ours = (await mint({ user_id: 'same', origins: [SHOP] })).body.token;
    const theirs = (await mint({ user_id: 'same', origins: [SHOP] }, OTHER_KEY)).body.token;
    const created = await server.json('POST', '/api/generations/create', { token: ours, headers: { origin: SHOP }, body: { action: 'create', model_id: 'flux-schnell', prompt: 'mine' } });
    expect(created.status).toBe(201);
    expect((await server.json('GET', `/api/generations/${created.body.id}`, { token: theirs, headers: { origin: SHOP } })).status).toBe(404);
    expect((await server.json('GET', `/api/generations/${created.body.id}`, { token: ours, headers: { origin: SHOP } })).status).toBe(200);
  });

  it('refuse bad requests, naming the field', async () => {
    const bad = await mint({ user_id: 'u 1', origins: ['https://shop.example/page'] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['origins.0', 'user_id']);
    expect((await mint({ user_id: 'u1', origins: [SHOP], ttl_seconds: 10 ** 9 })).status).toBe(422);
    const signed = await telegramSignIn(signLogin({ id: 42, username: 'alice', auth_date: nowS() }));
    const cookie = signed.cookie!.split(';')[0]!;
    expect((await server.json('POST', '/api/auth/embed-tokens', { headers: { cookie }, body: { user_id: 'u1', origins: [SHOP] } })).status).toBe(403);
    expect((await server.json('POST', '/api/auth/embed-tokens', { body: { user_id: 'u1', origins: [SHOP] } })).status).toBe(401);
  });
});

describe('CORS', () => {
  it('allows listed origins with credentials and the Authorization header; others get nothing', async () => {
    const preflight = await server.fetch('/api/generations/create', {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

    const evil = await server.fetch('/api/generations/create', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // its own origin is not reflected either: under DNS rebinding an attacker's page has that very origin
    const same = await server.fetch('/api/health', { headers: { origin: server.url } });
    expect(same.headers.get('access-control-allow-origin')).toBeNull();
  });
});
