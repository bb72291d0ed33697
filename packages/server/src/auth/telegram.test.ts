import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAllowedUsername, verifyInitData, verifyLoginWidget } from './telegram.js';

const BOT = '123456:TEST-bot-token-for-dotbase-tests';
const NOW = 1_750_000_000_000;
const nowS = Math.floor(NOW / 1000);

/** Signs like Telegram does, written out here independently of the code under test. */
function signLogin(fields: Record<string, string | number>, bot = BOT) {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const hash = createHmac('sha256', createHash('sha256').update(bot).digest()).update(check).digest('hex');
  return { ...fields, hash };
}

function signInitData(fields: Record<string, string>, bot = BOT): string {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(bot).digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

describe('verifyLoginWidget', () => {
  const fields = { id: 42, first_name: 'Alice', username: 'Alice_W', auth_date: nowS - 60 };

  it('accepts a payload signed with the bot token', () => {
    expect(verifyLoginWidget(signLogin(fields), BOT, NOW)).toEqual({ id: '42', username: 'Alice_W', auth_date: nowS - 60, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a changed field, another bot, a missing hash', () => {
    expect(verifyLoginWidget({ ...signLogin(fields), username: 'mallory' }, BOT, NOW)).toBeNull();
    expect(verifyLoginWidget(signLogin(fields, '999:other-bot-token-xxxxxxxxxxxx'), BOT, NOW)).toBeNull();
    const { hash: _hash, ...unsigned } = signLogin(fields);
    expect(verifyLoginWidget(unsigned, BOT, NOW)).toBeNull();
  });

  it('refuses an auth_date older than the window (10 minutes unless told) or far in the future', () => {
    expect(verifyLoginWidget(signLogin({ ...fields, auth_date: nowS - 601 }), BOT, NOW)).toBeNull();
    expect(verifyLoginWidget(signLogin({ ...fields, auth_date: nowS - 599 }), BOT, NOW)).not.toBeNull();
    expect(verifyLoginWidget(signLogin({ ...fields, auth_date: nowS - 3599 }), BOT, NOW, 3600)).not.toBeNull();
    expect(verifyLoginWidget(signLogin({ ...fields, auth_date: nowS - 3601 }), BOT, NOW, 3600)).toBeNull();
    expect(verifyLoginWidget(signLogin({ ...fields, auth_date: nowS + 3600 }), BOT, NOW)).toBeNull();
  });

  it('never throws on garbage', () => {
    for (const garbage of [null, undefined, 'x', 42, [], { hash: 'zz' }, { id: {}, auth_date: 1, hash: 'a'.repeat(64) }]) {
      expect(verifyLoginWidget(garbage, BOT, NOW)).toBeNull();
    }
  });
});

describe('verifyInitData', () => {
  const user = JSON.stringify({ id: 7, first_name: 'Bob', username: 'bob' });
  const fields = { query_id: 'AAH', user, auth_date: String(nowS - 10) };

  it('accepts Mini App initData signed with the WebAppData-derived key', () => {
    expect(verifyInitData(signInitData(fields), BOT, NOW)).toEqual({ id: '7', username: 'bob', auth_date: nowS - 10, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses the Login Widget scheme applied to initData (different key derivation)', () => {
    const asLogin = signLogin(fields) as Record<string, string | number>;
    const encoded = new URLSearchParams(Object.entries(asLogin).map(([k, v]) => [k, String(v)])).toString();
    expect(verifyInitData(encoded, BOT, NOW)).toBeNull();
  });

  it('refuses tampering, expiry, duplicates and garbage', () => {
    const tampered = signInitData(fields).replace('bob', 'eve');
    expect(verifyInitData(tampered, BOT, NOW)).toBeNull();
    expect(verifyInitData(signInitData({ ...fields, auth_date: String(nowS - 90_000) }), BOT, NOW)).toBeNull();
    expect(verifyInitData(`${signInitData(fields)}&auth_date=1`, BOT, NOW)).toBeNull();
    for (const garbage of ['', '%%%', 'hash=', 42, null, 'a=b&hash=' + 'f'.repeat(64)]) expect(verifyInitData(garbage, BOT, NOW)).toBeNull();
  });
});

describe('isAllowedUsername', () => {
  it('compares case-insensitively with an optional @', () => {
    expect(isAllowedUsername('Alice_W', ['alice_w'])).toBe(true);
    expect(isAllowedUsername('@alice_w', ['alice_w'])).toBe(true);
    expect(isAllowedUsername('alice', ['alice_w'])).toBe(false);
    expect(isAllowedUsername(undefined, ['alice_w'])).toBe(false);
  });
});
