import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

const BOT = '123456:TEST-bot-token-for-dotbase-sessions';
const nowS = () => Math.floor(Date.now() / 1000);

function signLogin(fields: Record<string, string | number>) {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  return { ...fields, hash: createHmac('sha256', createHash('sha256').update(BOT).digest()).update(check).digest('hex') };
}

function signInitData(fields: Record<string, string>): string {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(BOT).digest();
  return new URLSearchParams({ ...fields, hash: createHmac('sha256', secret).update(check).digest('hex') }).toString();
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'alice,bob' });
});
afterAll(() => server?.close());

const signIn = (body: unknown) => server.json('POST', '/api/auth/telegram', { body });
const cookieOf = (answer: { headers: Headers }) => answer.headers.get('set-cookie')!.split(';')[0]!;

describe('logout', () => {
  it('revokes the session: a copy of the cookie stops working too, and other sessions go on', async () => {
    const first = await signIn(signLogin({ id: 42, username: 'alice', auth_date: nowS() }));
    const second = await signIn(signLogin({ id: 42, username: 'alice', first_name: 'Second', auth_date: nowS() }));
    const copied = cookieOf(first);
    const other = cookieOf(second);
    expect((await server.json('GET', '/api/auth/me', { headers: { cookie: copied } })).status).toBe(200);
    const out = await server.json('POST', '/api/auth/logout', { headers: { cookie: copied } });
    expect(out.status).toBe(204);
    expect((await server.json('GET', '/api/auth/me', { headers: { cookie: copied } })).status).toBe(401);
    expect((await server.json('GET', '/api/generations/list', { headers: { cookie: copied } })).status).toBe(401);
    expect((await server.json('GET', '/api/auth/me', { headers: { cookie: other } })).body.user.id).toBe('telegram:42');
  });

  it('keeps the session revoked across a restart (the list is in the data folder)', async () => {
    const data = await tempDir();
    const env = { TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'alice', DOTBASE_DATA_DIR: data.dir };
    const before = await startTestServer(env);
    const cookie = cookieOf(await before.json('POST', '/api/auth/telegram', { body: signLogin({ id: 7, username: 'alice', auth_date: nowS() }) }));
    const kept = cookieOf(await before.json('POST', '/api/auth/telegram', { body: signLogin({ id: 7, username: 'alice', first_name: 'Kept', auth_date: nowS() }) }));
    expect((await before.json('POST', '/api/auth/logout', { headers: { cookie } })).status).toBe(204);
    await before.close();
    const after = await startTestServer(env);
    try {
      expect((await after.json('GET', '/api/auth/me', { headers: { cookie: kept } })).status).toBe(200);
      expect((await after.json('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
    } finally {
      await after.close();
      await data.remove();
    }
  });
});

describe('Telegram sign-in data', () => {
  it('signs in once: the same payload again is refused (401 replayed), for the Login Widget and Mini Apps', async () => {
    const payload = signLogin({ id: 43, username: 'bob', auth_date: nowS() });
    expect((await signIn(payload)).status).toBe(200);
    const replay = await signIn(payload);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'replayed' });
    expect(replay.headers.get('set-cookie')).toBeNull();

    const initData = signInitData({ user: JSON.stringify({ id: 44, username: 'bob' }), auth_date: String(nowS()) });
    expect((await signIn({ init_data: initData })).status).toBe(200);
    expect((await signIn({ init_data: initData })).status).toBe(401);
  });

  it('is accepted for 10 minutes by default, not 24 hours', async () => {
    expect((await signIn(signLogin({ id: 45, username: 'bob', auth_date: nowS() - 11 * 60 }))).status).toBe(401);
    expect((await signIn(signLogin({ id: 45, username: 'bob', auth_date: nowS() - 9 * 60 }))).status).toBe(200);
  });

  it('takes its window from DOTBASE_TELEGRAM_MAX_AGE_SECONDS', async () => {
    const wide = await startTestServer({ TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'bob', DOTBASE_TELEGRAM_MAX_AGE_SECONDS: '3600' });
    try {
      const answer = await wide.json('POST', '/api/auth/telegram', { body: signLogin({ id: 46, username: 'bob', auth_date: nowS() - 30 * 60 }) });
      expect(answer.status).toBe(200);
      expect((await wide.json('POST', '/api/auth/telegram', { body: signLogin({ id: 46, username: 'bob', auth_date: nowS() - 61 * 60 }) })).status).toBe(401);
    } finally {
      await wide.close();
    }
  });
});
