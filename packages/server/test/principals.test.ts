import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { startTestServer, type TestServer } from './helpers.js';

const BOT = '123456:TEST-bot-token-for-dotbase-principals';
const KEY = 'key-principals-9f3ac27be01d54e8';
const SHOP = 'https://shop.example';

describe('principal ids of different kinds never meet', () => {
  it('refuses API-key users named telegram or local (any case) at start, naming the variable', async () => {
    for (const user of ['telegram', 'Telegram', 'local']) {
      const starting = startTestServer({ DOTBASE_API_KEYS: `${user}:${KEY}`, TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'alice' });
      await expect(starting, user).rejects.toThrow(ConfigError);
      await expect(startTestServer({ DOTBASE_API_KEYS: `${user}:${KEY}` })).rejects.toThrow(/DOTBASE_API_KEYS: user "\w+" is reserved/);
    }
  });

  describe('on a running server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ DOTBASE_API_KEYS: `shop:${KEY}`, TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'alice', DOTBASE_CORS_ORIGINS: SHOP });
    });
    afterAll(() => server?.close());

    it("an embed user named like a Telegram user stays in its minter's namespace and sees nothing of theirs", async () => {
      const fields: Record<string, string | number> = { id: 4242, username: 'alice', auth_date: Math.floor(Date.now() / 1000) };
      const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
      const hash = createHmac('sha256', createHash('sha256').update(BOT).digest()).update(check).digest('hex');
      const cookie = (await server.json('POST', '/api/auth/telegram', { body: { ...fields, hash } })).headers.get('set-cookie')!.split(';')[0]!;
      const theirs = await server.json('POST', '/api/generations/create', { headers: { cookie }, body: { action: 'create', model_id: 'flux-schnell', prompt: 'alice' } });
      expect(theirs.status).toBe(201);

      for (const userId of ['4242', 'telegram:4242', 'telegram']) {
        const minted = await server.json('POST', '/api/auth/embed-tokens', { token: KEY, body: { user_id: userId, origins: [SHOP] } });
        if (minted.status !== 201) {
          expect(minted.status, userId).toBe(422);
          continue;
        }
        const as = { token: minted.body.token, headers: { origin: SHOP } };
        expect((await server.json('GET', '/api/auth/me', as)).body.user.id).toBe(`shop:${userId}`);
        expect((await server.json('GET', '/api/generations/list', as)).body.total).toBe(0);
        expect((await server.json('GET', `/api/generations/${theirs.body.id}`, as)).status).toBe(404);
        expect((await server.json('DELETE', `/api/generations/${theirs.body.id}`, as)).status).toBe(404);
      }
      expect((await server.json('GET', `/api/generations/${theirs.body.id}`, { headers: { cookie } })).status).toBe(200);
    });
  });
});

describe('admins', () => {
  it('with DOTBASE_ADMINS empty: no API-key user is admin', async () => {
    const server = await startTestServer({ DOTBASE_API_KEYS: `backend:${KEY}` });
    try {
      expect((await server.json('GET', '/api/auth/me', { token: KEY })).body.is_admin).toBe(false);
      const tokens = await server.json('GET', '/api/admin/tokens', { token: KEY });
      expect(tokens.status).toBe(403);
      expect(tokens.body.error.code).toBe('forbidden');
    } finally {
      await server.close();
    }
  });

  it('the zero-config loopback user local is the admin', async () => {
    const server = await startTestServer();
    try {
      expect((await server.json('GET', '/api/auth/me')).body).toEqual({ user: { id: 'local', username: 'local' }, is_admin: true });
      expect((await server.json('GET', '/api/admin/tokens')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('secrets and keys at start', () => {
  it('refuses plainly non-random API keys and signing secrets with a message that names the variable, not the value', async () => {
    for (const [env, variable] of [
      [{ DOTBASE_API_KEYS: 'backend:aaaaaaaaaaaaaaaaaaaa' }, 'DOTBASE_API_KEYS'],
      [{ DOTBASE_API_KEYS: 'backend:1234567890123456' }, 'DOTBASE_API_KEYS'],
      [{ DOTBASE_SECRET: 'x'.repeat(64) }, 'DOTBASE_SECRET'],
      [{ DOTBASE_SECRET: 'correct-horse-battery-stap' }, 'DOTBASE_SECRET'],
    ] as const) {
      const error = await startTestServer(env).then(
        async (server) => {
          await server.close();
          return null;
        },
        (thrown: unknown) => thrown as ConfigError,
      );
      expect(error, variable).toBeInstanceOf(ConfigError);
      expect(error!.issues[0]!.variable).toBe(variable);
      expect(error!.message).not.toContain(Object.values(env)[0]!.split(':').at(-1));
    }
  });
});
