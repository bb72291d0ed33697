import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A Telegram user whose sign-in data carried a valid signature. */
export interface TelegramUser {
  id: string;
  username?: string;
  auth_date: number;
  /** The payload's signature: the same sign-in data always has the same one, so it marks the data as used. */
  hash: string;
}

/**
 * Sign-in data older than this is refused by default (`DOTBASE_TELEGRAM_MAX_AGE_SECONDS`): it is sent the moment
 * the user signs in, so a short window costs nothing and a leaked payload soon stops working. (Telegram suggests
 * at most a day.) The server also accepts each payload only once.
 */
export const MAX_AUTH_AGE_SECONDS = 10 * 60;
/** Allowance for clocks running a little ahead of ours. */
const FUTURE_SKEW_SECONDS = 5 * 60;

function hexEqual(givenHex: string, expected: Buffer): boolean {
  if (!/^[0-9a-f]{64}$/i.test(givenHex)) return false;
  return timingSafeEqual(Buffer.from(givenHex, 'hex'), expected);
}

function fresh(authDate: number, nowMs: number, maxAgeSeconds: number): boolean {
  const now = Math.floor(nowMs / 1000);
  return Number.isInteger(authDate) && authDate <= now + FUTURE_SKEW_SECONDS && now - authDate <= maxAgeSeconds;
}

/** Until when (epoch ms) sign-in data dated `authDate` can pass `fresh`: how long its one use must be remembered. */
export function usableUntil(authDate: number, maxAgeSeconds: number = MAX_AUTH_AGE_SECONDS): number {
  return (authDate + maxAgeSeconds + 1) * 1000;
}

function dataCheckString(fields: Map<string, string>): string {
  return [...fields.keys()]
    .sort()
    .map((key) => `${key}=${fields.get(key)}`)
    .join('\n');
}

/**
 * Verifies a Telegram Login Widget payload: HMAC-SHA-256 (key = SHA-256 of the bot token) over the sorted
 * `key=value` lines of every field but `hash`, and `auth_date` at most `maxAgeSeconds` old. Returns null for anything else.
 *
 * @example
 * verifyLoginWidget({ id: 42, username: 'alice', auth_date: 1700000000, hash: '…' }, botToken);
 */
export function verifyLoginWidget(payload: unknown, botToken: string, now: number = Date.now(), maxAgeSeconds: number = MAX_AUTH_AGE_SECONDS): TelegramUser | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const fields = new Map<string, string>();
  let hash: string | undefined;
  for (const [key, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
    if (key === 'hash') hash = String(value);
    else fields.set(key, String(value));
  }
  if (hash === undefined || !fields.has('id') || !fields.has('auth_date')) return null;
  const secret = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(dataCheckString(fields)).digest();
  if (!hexEqual(hash, expected)) return null;
  const authDate = Number(fields.get('auth_date'));
  if (!fresh(authDate, now, maxAgeSeconds)) return null;
  const username = fields.get('username');
  return { id: fields.get('id') as string, ...(username ? { username } : {}), auth_date: authDate, hash: hash.toLowerCase() };
}

/**
 * Verifies a Telegram Mini App `initData` string (URL-encoded): the secret is HMAC-SHA-256 of the bot token keyed
 * with "WebAppData", the hash an HMAC-SHA-256 of the sorted data-check-string with that secret. The user comes
 * from the `user` JSON field.
 *
 * @example
 * verifyInitData(window.Telegram.WebApp.initData, botToken);
 */
export function verifyInitData(initData: unknown, botToken: string, now: number = Date.now(), maxAgeSeconds: number = MAX_AUTH_AGE_SECONDS): TelegramUser | null {
  if (typeof initData !== 'string' || initData.length === 0 || initData.length > 16_384) return null;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(initData);
  } catch {
    return null;
  }
  const fields = new Map<string, string>();
  let hash: string | undefined;
  for (const [key, value] of params) {
    if (fields.has(key) || (key === 'hash' && hash !== undefined)) return null;
    if (key === 'hash') hash = value;
    else fields.set(key, value);
  }
  if (hash === undefined) return null;
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(dataCheckString(fields)).digest();
  if (!hexEqual(hash, expected)) return null;
  const authDate = Number(fields.get('auth_date'));
  if (!fresh(authDate, now, maxAgeSeconds)) return null;
  let user: unknown;
  try {
    user = JSON.parse(fields.get('user') ?? 'null');
  } catch {
    return null;
  }
  if (user === null || typeof user !== 'object') return null;
  const { id, username } = user as { id?: unknown; username?: unknown };
  if (typeof id !== 'number' && typeof id !== 'string') return null;
  return { id: String(id), ...(typeof username === 'string' && username ? { username } : {}), auth_date: authDate, hash: hash.toLowerCase() };
}

/** Whether a username is on the allowlist (entries already lower case without `@`). */
export function isAllowedUsername(username: string | undefined, allowed: readonly string[]): boolean {
  if (!username) return false;
  return allowed.includes(username.replace(/^@/, '').toLowerCase());
}
