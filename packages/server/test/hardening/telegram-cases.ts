import { createHash, createHmac } from 'node:crypto';
import type { Family, Mutation } from './family.js';
import { BOT_TOKEN, FUZZ_LIMITS } from './fixture.js';
import { JSON_TYPE, jsonDraft, type FuzzDraft } from './fuzz-request.js';
import { hugeString, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

const PATH = '/api/auth/telegram';
const DAY_S = 24 * 60 * 60;
const nowS = () => Math.floor(Date.now() / 1000);

/** Login Widget signing (see auth/telegram.ts): HMAC-SHA-256 keyed with SHA-256(bot token) over sorted lines. */
function signLogin(fields: Record<string, string | number>, bot = BOT_TOKEN): Record<string, string | number> {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  return { ...fields, hash: createHmac('sha256', createHash('sha256').update(bot).digest()).update(check).digest('hex') };
}

/** Mini App signing: the secret is HMAC-SHA-256("WebAppData", bot token). */
function signInitData(fields: Record<string, string>, bot = BOT_TOKEN): string {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(bot).digest();
  return new URLSearchParams({ ...fields, hash: createHmac('sha256', secret).update(check).digest('hex') }).toString();
}

/** Usernames that are not on the allowlist (only `alice` is): a valid signature still must not sign them in. */
function strangerName(rng: Rng): string {
  return rng.pick(['mallory', 'ALICE_', 'alice ', '@@alice', 'alice\u200b', '\u0430lice', oddString(rng) || 'eve']);
}

const login = (body: unknown, statuses: readonly number[]): FuzzDraft => ({ ...jsonDraft('POST', PATH, body, {}), statuses });

const mutations: Mutation[] = [
  {
    name: 'forged-hash',
    make(rng) {
      const fields = { id: rng.int(1, 1e9), username: 'alice', auth_date: nowS() };
      const hash = rng.pick([Buffer.from(rng.bytes(32)).toString('hex'), 'a'.repeat(64), 'zz'.repeat(32), '', 'abc', signLogin(fields, '1:other-bot-token-abcdefghijklmnop').hash]);
      return login({ ...fields, hash }, [401]);
    },
  },
  {
    name: 'tampered-field',
    make(rng) {
      const signed = signLogin({ id: rng.int(1, 1e9), username: 'mallory', auth_date: nowS() });
      return login({ ...signed, username: 'alice' }, [401]);
    },
  },
  {
    name: 'expired-or-future',
    make(rng) {
      const authDate = rng.pick([nowS() - DAY_S - rng.int(1, 1e7), nowS() + 3600 + rng.int(0, 1e6), 0, -5]);
      return login(signLogin({ id: rng.int(1, 1e9), username: 'alice', auth_date: authDate }), [401]);
    },
  },
  {
    name: 'odd-auth-date',
    make: (rng) => login(signLogin({ id: 42, username: 'alice', auth_date: rng.pick(['soon', '1e9', '', `${nowS()}.5`, 'NaN', ' ']) }), [401]),
  },
  {
    name: 'not-allowed',
    make: (rng) => login(signLogin({ id: rng.int(1, 1e9), auth_date: nowS(), ...(rng.chance(0.8) ? { username: strangerName(rng) } : {}) }), [403]),
  },
  {
    name: 'missing-field',
    make(rng) {
      const signed = signLogin({ id: 42, username: 'alice', auth_date: nowS() });
      const missing = rng.pick(['id', 'auth_date', 'hash']);
      const { [missing]: _dropped, ...rest } = signed;
      return login(rest, [401, 422]);
    },
  },
  {
    name: 'wrong-types',
    make(rng) {
      const field = rng.pick(['id', 'auth_date', 'hash', 'username', 'photo_url']);
      return login({ id: 42, username: 'alice', auth_date: nowS(), hash: 'a'.repeat(64), [field]: rng.pick([null, true, [], {}, [1], { $gt: 0 }]) }, [401, 422]);
    },
  },
  {
    name: 'extra-fields',
    make(rng) {
      const key = rng.pick(['__proto__', 'constructor', 'is_admin', oddString(rng) || 'k', rng.word(8)]);
      // Signed for a stranger: whether the extra key breaks the signature (401) or is dropped (403), no session.
      const body = { ...signLogin({ id: 42, username: 'mallory', auth_date: nowS() }), [key]: rng.pick([{ nested: true }, [1, 2], 'x', 7]) };
      return login(body, [401, 403, 422]);
    },
  },
  {
    name: 'garbage-init-data',
    make(rng) {
      const initData = rng.pick([
        oddString(rng),
        'hash=abc',
        'user=%7B%7D&auth_date=1&hash=' + 'a'.repeat(64),
        '%E0%A4%A=1&hash=x',
        '&&&==&',
        'a'.repeat(16_385),
        `user=${encodeURIComponent('{"id":1,"username":"alice"}')}&auth_date=${nowS()}&hash=${Buffer.from(rng.bytes(32)).toString('hex')}`,
      ]);
      return login({ init_data: initData }, [401, 422]);
    },
  },
  {
    name: 'signed-bad-init-data',
    make(rng) {
      const user = rng.pick(['not json', '{"username":"alice"}', '[]', 'null', '{"id":{"x":1},"username":"alice"}', '"alice"']);
      const authDate = rng.pick([String(nowS()), String(nowS() - 2 * DAY_S), 'x']);
      return login({ init_data: signInitData({ user, auth_date: authDate }) }, [401, 403]);
    },
  },
  {
    name: 'duplicate-init-data-keys',
    make: () => ({ ...jsonDraft('POST', PATH, { init_data: `${signInitData({ user: '{"id":1,"username":"alice"}', auth_date: String(nowS()) })}&auth_date=1` }, {}), statuses: [401] }),
  },
  {
    name: 'init-data-wrong-type',
    make: (rng) => login({ init_data: rng.pick([7, null, true, [], {}, '']) }, [422]),
  },
  {
    name: 'not-json',
    make(rng) {
      const body = rng.pick(['{', 'id=1&hash=x', '', '\u0000', `{"init_data":"${hugeString(rng, FUZZ_LIMITS.maxJsonBytes + 10)}"}`]);
      const type = rng.pick([JSON_TYPE['content-type'], 'application/x-www-form-urlencoded', 'text/plain']);
      return { method: 'POST', path: PATH, headers: { 'content-type': type }, body, outcome: 'reject' };
    },
  },
];

export const telegramFamily: Family = { name: 'telegram', weight: 7, mutations };
