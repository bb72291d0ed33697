import { expect } from 'vitest';
import { describeAuthenticatorContract } from '../testing.js';
import { createAdminPolicy } from './admins.js';
import { anonymousAuthenticator } from './anonymous.js';
import { apiKeyAuthenticator } from './api-keys.js';
import { createEmbedTokens } from './embed-tokens.js';
import { createStorage } from 'unstorage';
import { createMarks } from './marks.js';
import { createSessions, SESSION_COOKIE } from './session.js';
import { createSigner } from './signing.js';

const URL_BASE = 'http://127.0.0.1:8787/api/auth/me';
const SECRET = 'Zq3vN8rT1xWk5LmP0aYc7HdE2sJgB9uF4oRiQ6nVtXw';
const revoked = () => createMarks(createStorage());
const bearer = (token: string, extra: Record<string, string> = {}) => new Request(URL_BASE, { headers: { authorization: `Bearer ${token}`, ...extra } });
const cookie = (value: string) => new Request(URL_BASE, { headers: { cookie: `${SESSION_COOKIE}=${value}` } });

describeAuthenticatorContract('none (anonymous)', () => ({
  authenticator: anonymousAuthenticator(),
  valid: () => new Request(URL_BASE),
  expectedId: 'local',
  invalid: {},
  acceptsMissing: true,
}));

describeAuthenticatorContract('API keys', () => {
  const keys = [
    { user: 'backend', key: 'key-backend-0123456789' },
    { user: 'cron', key: 'key-cron-9876543210abc' },
  ];
  return {
    authenticator: apiKeyAuthenticator(keys, createAdminPolicy([])),
    valid: () => bearer('key-cron-9876543210abc'),
    expectedId: 'cron',
    invalid: {
      'unknown key': () => bearer('key-cron-9876543210abd'),
      'prefix of a key': () => bearer('key-cron-9876543210ab'),
      'key in another scheme': () => new Request(URL_BASE, { headers: { authorization: 'Token key-cron-9876543210abc' } }),
      'user name instead of key': () => bearer('cron'),
    },
  };
});

describeAuthenticatorContract('Telegram session cookie', () => {
  let now = Date.now();
  const marks = revoked();
  const sessions = createSessions({ secret: SECRET, allowedUsernames: ['alice'], admins: createAdminPolicy(['alice']), revoked: marks, now: () => now });
  const loggedOut = sessions.issue({ id: 'telegram:42', username: 'alice' }).token;
  const { token } = sessions.issue({ id: 'telegram:42', username: 'alice' });
  const otherServer = createSessions({ secret: `${SECRET}-other`, allowedUsernames: ['alice'], admins: createAdminPolicy([]), revoked: revoked() });
  return {
    authenticator: sessions.authenticator,
    valid: () => {
      now = Date.now();
      return cookie(encodeURIComponent(token));
    },
    expectedId: 'telegram:42',
    invalid: {
      'signed by another secret': () => cookie(otherServer.issue({ id: 'telegram:42', username: 'alice' }).token),
      'payload swapped': () => cookie(`${Buffer.from(JSON.stringify({ sub: 'telegram:1', username: 'alice', exp: 9e9 })).toString('base64url')}.${token.split('.')[1]}`),
      'expired': () => {
        now = Date.now() + 31 * 24 * 3600 * 1000;
        return cookie(token);
      },
      'username no longer allowed': () => {
        now = Date.now();
        return cookie(sessions.issue({ id: 'telegram:43', username: 'mallory' }).token);
      },
      'logged out': async () => {
        now = Date.now();
        expect(await sessions.revoke(cookie(loggedOut))).toBe(true);
        return cookie(loggedOut);
      },
      'a cookie from before session ids (cannot be revoked)': () => {
        now = Date.now();
        return cookie(createSigner(SECRET, 'session').sign({ sub: 'telegram:42', username: 'alice', exp: 9e9 }));
      },
      'an embed token in the cookie': () => {
        now = Date.now();
        return cookie(createSigner(SECRET, 'embed').sign({ sub: 'telegram:42', username: 'alice', exp: 9e9 }));
      },
    },
  };
});

describeAuthenticatorContract('embed tokens', () => {
  let now = Date.now();
  const embed = createEmbedTokens(SECRET, { minters: new Set(['shop', 'telegram']), now: () => now });
  const { token } = embed.issue({ minter: 'shop', user_id: 'u-17', origins: ['https://shop.example'], ttl_seconds: 60 });
  return {
    authenticator: embed.authenticator,
    valid: () => {
      now = Date.now();
      return bearer(token, { origin: 'https://shop.example' });
    },
    expectedId: 'shop:u-17',
    invalid: {
      'no Origin header': () => bearer(token),
      'another origin': () => bearer(token, { origin: 'https://evil.example' }),
      'origin with a path trick': () => bearer(token, { origin: 'https://shop.example.evil.example' }),
      'expired': () => {
        now = Date.now() + 61_000;
        return bearer(token, { origin: 'https://shop.example' });
      },
      'signed by another secret': () => {
        now = Date.now();
        const other = createEmbedTokens(`${SECRET}-other`, { minters: new Set(['shop']) }).issue({ minter: 'shop', user_id: 'u-17', origins: ['https://shop.example'] });
        return bearer(other.token, { origin: 'https://shop.example' });
      },
      "a sub outside the minter's prefix": () => {
        now = Date.now();
        const forged = createSigner(SECRET, 'embed').sign({ sub: 'telegram:4242', min: 'shop', origins: ['https://shop.example'], exp: 9e9 });
        return bearer(`dbe_${forged}`, { origin: 'https://shop.example' });
      },
      'a minter whose name is reserved': () => {
        now = Date.now();
        const forged = createSigner(SECRET, 'embed').sign({ sub: 'telegram:4242', min: 'telegram', origins: ['https://shop.example'], exp: 9e9 });
        return bearer(`dbe_${forged}`, { origin: 'https://shop.example' });
      },
      'a minter that no longer holds a key': () => {
        now = Date.now();
        const forged = createSigner(SECRET, 'embed').sign({ sub: 'gone:u-17', min: 'gone', origins: ['https://shop.example'], exp: 9e9 });
        return bearer(`dbe_${forged}`, { origin: 'https://shop.example' });
      },
      'an old token without its minter': () => {
        now = Date.now();
        const old = createSigner(SECRET, 'embed').sign({ sub: 'shop:u-17', origins: ['https://shop.example'], exp: 9e9 });
        return bearer(`dbe_${old}`, { origin: 'https://shop.example' });
      },
      'a session token with the embed prefix': () => {
        now = Date.now();
        const session = createSigner(SECRET, 'session').sign({ sub: 'shop:u-17', origins: ['https://shop.example'], exp: 9e9 });
        return bearer(`dbe_${session}`, { origin: 'https://shop.example' });
      },
    },
  };
});
