import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Storage } from 'unstorage';
import { compareAndSet } from '../kv/compare-and-set.js';
import { HttpError } from './errors.js';

/** Stripe keeps keys for 24 hours: long enough for any client's retries, short enough to stay small. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A reservation older than this was left by a process that died mid-request (a create has a shorter deadline). */
const ABANDONED_AFTER_MS = 2 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

interface Entry {
  owner: string;
  fingerprint: string;
  /** The id of what the first request created; absent while that request is still running. */
  resource_id?: string;
  created_at: number;
  expires_at: number;
}

export interface IdempotencyOptions {
  ttlMs?: number;
  now?: () => number;
}

/** What `run` did: created the resource now, or found the one an earlier request with the same key created. */
export interface IdempotentResult {
  id: string;
  replayed: boolean;
}

/**
 * The `Idempotency-Key` request header, checked: absent → undefined; present, it must be 1–255 visible ASCII
 * characters (a 400 otherwise, so a client's bug is not silently a request without protection).
 */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new HttpError(400, 'invalid_idempotency_key', `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters`);
  }
  return key;
}

/** JSON with object keys sorted at every depth, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A digest of a request body: equal for equal JSON whatever the key order or spacing. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Idempotent creation, as Stripe does it: the first request with a key runs `create` and remembers the id it
 * returned; a later one from the same user with the same key and the same body gets that id back (`replayed`)
 * instead of a second resource; the same key with a different body is a 422. Keys are per user and per scope (one
 * user's key never meets another's), kept `ttlMs` (24 h) in the given storage, so a retry after a restart is still
 * recognised. A `create` that throws releases the key: nothing was created, so the retry may try again.
 *
 * Concurrent requests with one key wait for each other in this process; from another process (several instances
 * on one store) the second gets a 409 while the first runs, as with Stripe: the key is claimed by a compare-and-set,
 * so on a shared PostgreSQL storage two instances never both run `create`.
 *
 * @example
 * const idempotency = createIdempotency(prefixStorage(storage, 'server'));
 * const { id, replayed } = await idempotency.run('generations.create', userId, key, requestFingerprint(body), async () => (await service.create(userId, body)).id);
 */
export function createIdempotency(storage: Storage, options: IdempotencyOptions = {}) {
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const now = options.now ?? Date.now;
  const running = new Map<string, Promise<unknown>>();
  let lastSweep = now();

  function storageKey(scope: string, owner: string, key: string): string {
    // one fixed-length segment whatever the key holds (`:` and `/` are separators to unstorage)
    const digest = createHash('sha256').update(`${scope}\0${owner}\0${key}`).digest('hex').slice(0, 40);
    return `idempotency:${digest}`;
  }

  async function sweep(): Promise<void> {
    const keys = await storage.getKeys('idempotency');
    const time = now();
    for (const key of keys) {
      const entry = await storage.getItem<Entry>(key);
      if (entry && entry.expires_at <= time) await storage.removeItem(key);
    }
  }

  async function runOnce(storeKey: string, owner: string, fingerprint: string, create: () => Promise<string>, attempt = 1): Promise<IdempotentResult> {
    const time = now();
    const existing = await storage.getItem<Entry>(storeKey);
    const live = existing && existing.owner === owner && existing.expires_at > time ? existing : null;
    if (live) {
      if (live.fingerprint !== fingerprint) {
        throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request body; use a new key for a new request');
      }
      if (live.resource_id) return { id: live.resource_id, replayed: true };
      if (time - live.created_at < ABANDONED_AFTER_MS) {
        throw new HttpError(409, 'idempotency_key_in_use', 'a request with this Idempotency-Key is still being processed; retry in a moment', {
          retryAfterSeconds: 2,
        });
      }
    }
    const entry: Entry = { owner, fingerprint, created_at: time, expires_at: time + ttlMs };
    // Another instance may have claimed the key since we read it: then read again, and answer as its entry says
    // (in use, replayed, or reused with another body); a second lost race in a row is answered as "in use".
    if (!(await compareAndSet(storage, storeKey, existing, entry))) {
      if (attempt < 2) return runOnce(storeKey, owner, fingerprint, create, attempt + 1);
      throw new HttpError(409, 'idempotency_key_in_use', 'a request with this Idempotency-Key is still being processed; retry in a moment', { retryAfterSeconds: 2 });
    }
    let id: string;
    try {
      id = await create();
    } catch (error) {
      await storage.removeItem(storeKey).catch(() => undefined);
      throw error;
    }
    await storage.setItem(storeKey, { ...entry, resource_id: id } as unknown as Record<string, unknown>);
    return { id, replayed: false };
  }

  return {
    /** Runs `create` at most once per (scope, owner, key) within the TTL; see `createIdempotency`. */
    async run(scope: string, owner: string, key: string, fingerprint: string, create: () => Promise<string>): Promise<IdempotentResult> {
      if (now() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now();
        sweep().catch(() => undefined);
      }
      const storeKey = storageKey(scope, owner, key);
      // requests with one key queue behind each other, so the second sees the first's result instead of a 409
      const previous = running.get(storeKey) ?? Promise.resolve();
      const current = previous.catch(() => undefined).then(() => runOnce(storeKey, owner, fingerprint, create));
      running.set(storeKey, current);
      try {
        return await current;
      } finally {
        if (running.get(storeKey) === current) running.delete(storeKey);
      }
    },
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
