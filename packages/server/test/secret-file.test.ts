import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSigner } from '../src/auth/signing.js';
import { loadOrCreateSecret } from '../src/secret.js';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

const KEY = 'key-backend-9f3ac27be01d54e8';
const SHOP = 'https://shop.example';

/** An embed token as anyone who knew `secret` could make it: for the minter's user, or anybody's. */
function forgedEmbedToken(secret: string, sub = 'backend:u-1'): string {
  const exp = Math.floor(Date.now() / 1000) + 600;
  return `dbe_${createSigner(secret, 'embed').sign({ sub, min: 'backend', origins: [SHOP], exp })}`;
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the signing secret kept in the data folder', () => {
  for (const [label, content] of [
    ['empty', ''],
    ['short', 'short'],
    ['31 characters', 'x'.repeat(31)],
    ['long but not random', 'a'.repeat(80)],
  ] as const) {
    it(`is replaced when it is ${label}, so nothing signed with it is accepted`, async () => {
      const temp = await tempDir();
      await writeFile(join(temp.dir, 'secret'), content);
      const warnings: string[] = [];
      server = await startTestServer(
        { DOTBASE_DATA_DIR: temp.dir, DOTBASE_API_KEYS: `backend:${KEY}` },
        { logger: { info() {}, error() {}, warn: (message) => warnings.push(message) } },
      );
      const kept = (await readFile(join(temp.dir, 'secret'), 'utf8')).trim();
      expect(kept.length).toBeGreaterThanOrEqual(43);
      expect(kept).not.toBe(content);
      expect(((await stat(join(temp.dir, 'secret'))).mode & 0o777).toString(8)).toBe('600');
      expect(warnings.some((message) => message.includes(join(temp.dir, 'secret')))).toBe(true);
      // a token forged with the old value is refused; one made with the new secret works (the test is sound)
      const forged = await server.json('GET', '/api/auth/me', { token: forgedEmbedToken(content), headers: { origin: SHOP } });
      expect(forged.status).toBe(401);
      const genuine = await server.json('GET', '/api/auth/me', { token: forgedEmbedToken(kept), headers: { origin: SHOP } });
      expect(genuine.body.user.id).toBe('backend:u-1');
      expect((await readdir(temp.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      await temp.remove();
    });
  }

  it('is generated once and kept: a restart signs with the same one', async () => {
    const temp = await tempDir();
    const first = await loadOrCreateSecret(temp.dir);
    expect(first.length).toBeGreaterThanOrEqual(43);
    expect(await loadOrCreateSecret(temp.dir)).toBe(first);
    await temp.remove();
  });

  it('is the same for processes starting at once (the first one written wins, whole)', async () => {
    const temp = await tempDir();
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret(temp.dir)));
    expect(new Set(secrets).size).toBe(1);
    expect((await readFile(join(temp.dir, 'secret'), 'utf8')).trim()).toBe(secrets[0]);
    expect((await readdir(temp.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await temp.remove();
  });

  it('refuses to start, naming the file, when it cannot be read', async () => {
    const temp = await tempDir();
    await mkdir(join(temp.dir, 'secret'));
    const starting = startTestServer({ DOTBASE_DATA_DIR: temp.dir });
    await expect(starting).rejects.toThrow(join(temp.dir, 'secret'));
    await expect(startTestServer({ DOTBASE_DATA_DIR: temp.dir })).rejects.toThrow(/DOTBASE_SECRET/);
    await temp.remove();
  });
});

describe('embed tokens signed with the real secret', () => {
  const SECRET = 'eT4kQ9zW2xVr7NpL1cH8mB3sYd6gJ0fA5uEoKiRqZ';

  it("are refused when their user is outside the minter's namespace (a Telegram user, another backend's user)", async () => {
    server = await startTestServer({ DOTBASE_SECRET: `${SECRET}x3`, DOTBASE_API_KEYS: `backend:${KEY}` });
    const secret = `${SECRET}x3`;
    expect((await server.json('GET', '/api/auth/me', { token: forgedEmbedToken(secret), headers: { origin: SHOP } })).status).toBe(200);
    for (const sub of ['telegram:4242', 'other:u-1', 'local', 'backend', 'backend:', 'backendx:u-1']) {
      const answer = await server.json('GET', '/api/auth/me', { token: forgedEmbedToken(secret, sub), headers: { origin: SHOP } });
      expect(answer.status, sub).toBe(401);
    }
  });
});
