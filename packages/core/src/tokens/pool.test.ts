import { describe, expect, it } from 'vitest';
import { DotbaseError, isDotbaseError } from '../errors.js';
import { createTokenPool, type TokenPoolOptions } from './pool.js';
import { tokenIdFor } from './token-id.js';

const T0 = 1_700_000_000_000;

/** A pool on a fake clock: `sleep` advances the clock instead of waiting, and is recorded. */
function fakeClockPool(tokens: string[], extra: Partial<TokenPoolOptions> = {}) {
  const clock = { now: T0, sleeps: [] as number[] };
  const pool = createTokenPool({
    tokens,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
    ...extra,
  });
  return { pool, clock };
}

async function idsOf(...secrets: string[]): Promise<string[]> {
  return Promise.all(secrets.map((secret) => tokenIdFor(secret)));
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createTokenPool', () => {
  it('registers one id per distinct secret and never exposes secrets in stats', async () => {
    const { pool } = fakeClockPool(['r8_secretA', 'r8_secretB', 'r8_secretA']);
    const stats = await pool.stats();
    expect(stats.map((t) => t.id).sort()).toEqual((await idsOf('r8_secretA', 'r8_secretB')).sort());
    expect(JSON.stringify(stats)).not.toMatch(/r8_secret/);
    const [idA] = await idsOf('r8_secretA');
    expect(pool.secretFor(idA as string)).toBe('r8_secretA');
    expect(pool.secretFor('tok_unknown')).toBeUndefined();
  });

  it('refuses empty token strings', () => {
    expect(() => createTokenPool({ tokens: ['r8_a', '  '] })).toThrow(DotbaseError);
  });

  it('honours Retry-After: the throttled token is not reused before its cooldown ends', async () => {
    const { pool, clock } = fakeClockPool(['s1', 's2']);
    const used: string[] = [];
    let throttled = false;
    const first = await pool.run(async ({ token }) => {
      used.push(token);
      if (!throttled) {
        throttled = true;
        throw new DotbaseError('rate_limited', 'throttled', { retryAfterMs: 5000, upstreamStatus: 429 });
      }
      return 'ok';
    });
    expect(first.value).toBe('ok');
    const [cooling, other] = used as [string, string];
    expect(other).not.toBe(cooling);

    const coolingId = await tokenIdFor(cooling);
    expect((await pool.stats()).find((t) => t.id === coolingId)).toMatchObject({ error_count: 1, cooldown_until: T0 + 5000 });

    for (let i = 0; i < 5; i++) {
      clock.now += 900; // up to T0 + 4500: still cooling
      await pool.run(async ({ token }) => expect(token).toBe(other));
    }
    clock.now = T0 + 5000;
    const after = await pool.run(async ({ token }) => token);
    expect(after.value).toBe(cooling);
    expect(clock.sleeps).toEqual([]);
  });

  it('disables a token refused with 401 and succeeds on another', async () => {
    const { pool } = fakeClockPool(['bad', 'good']);
    const [badId, goodId] = await idsOf('bad', 'good');
    const calls: string[] = [];
    const result = await pool.run(async ({ token }) => {
      calls.push(token);
      if (token === 'bad') throw new DotbaseError('unauthorized', 'Unauthenticated', { upstreamStatus: 401 });
      return 42;
    });
    expect(result).toEqual({ value: 42, tokenId: goodId });
    const stats = await pool.stats();
    expect(stats.find((t) => t.id === badId)).toMatchObject({ is_active: false, error_count: 1, in_flight: 0 });
    expect(stats.find((t) => t.id === badId)?.last_error).toMatch(/unauthorized/);
    // Later calls never touch the disabled token.
    for (let i = 0; i < 4; i++) await pool.run(async ({ token }) => calls.push(token));
    expect(calls.filter((token) => token === 'bad').length).toBeLessThanOrEqual(1);
  });

  it('retries 5xx on another token, counts the error and cools the token with back-off', async () => {
    const { pool, clock } = fakeClockPool(['s1', 's2']);
    const tokens: string[] = [];
    const result = await pool.run(async ({ token }) => {
      tokens.push(token);
      if (tokens.length === 1) throw new DotbaseError('upstream_error', 'Replicate answered 502', { upstreamStatus: 502 });
      return 'done';
    });
    expect(result.value).toBe('done');
    expect(new Set(tokens).size).toBe(2);
    const failedId = await tokenIdFor(tokens[0] as string);
    const failed = (await pool.stats()).find((t) => t.id === failedId);
    expect(failed?.error_count).toBe(1);
    expect(failed?.last_error).toMatch(/502/);
    // Default back-off: 1000 ms with equal jitter → between 500 and 1000 ms.
    expect(failed?.cooldown_until).toBeGreaterThanOrEqual(clock.now + 500);
    expect(failed?.cooldown_until).toBeLessThanOrEqual(clock.now + 1000);
  });

  it('does not retry or count errors that are the caller’s fault (422)', async () => {
    const { pool } = fakeClockPool(['s1', 's2']);
    const invalid = new DotbaseError('invalid_input', 'num_outputs must be ≤ 4', { upstreamStatus: 422 });
    let calls = 0;
    const error = await caught(
      pool.run(async () => {
        calls++;
        throw invalid;
      }),
    );
    expect(error).toBe(invalid);
    expect(calls).toBe(1);
    for (const token of await pool.stats()) expect(token).toMatchObject({ error_count: 0, in_flight: 0, last_error: null, cooldown_until: null });
  });

  it('waits for the earliest cooling token when all cool, then succeeds', async () => {
    const { pool, clock } = fakeClockPool(['only']);
    let calls = 0;
    const result = await pool.run(async () => {
      calls++;
      if (calls === 1) throw new DotbaseError('rate_limited', 'throttled', { retryAfterMs: 2000 });
      return clock.now;
    });
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
    expect(result.value).toBe(T0 + 2000);
  });

  it('fails at once with no_tokens when no token is active', async () => {
    const { pool, clock } = fakeClockPool(['s1', 's2']);
    for (const token of await pool.stats()) await pool.setActive(token.id, false);
    const error = await caught(pool.lease());
    expect(isDotbaseError(error, 'no_tokens')).toBe(true);
    expect((error as Error).message).toMatch(/no active Replicate token/);
    expect(clock.sleeps).toEqual([]);

    const empty = fakeClockPool([]).pool;
    expect(isDotbaseError(await caught(empty.run(async () => 1)), 'no_tokens')).toBe(true);
  });

  it('gives up with no_tokens when every token cools beyond maxWaitMs, without sleeping', async () => {
    const { pool, clock } = fakeClockPool(['only'], { maxWaitMs: 1000 });
    const error = await caught(
      pool.run(async () => {
        throw new DotbaseError('rate_limited', 'throttled', { retryAfterMs: 5000 });
      }),
    );
    expect(isDotbaseError(error, 'no_tokens')).toBe(true);
    expect((error as DotbaseError).retryAfterMs).toBe(5000);
    expect((error as Error).message).toMatch(/last failure: throttled/);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits out more 429s than maxAttempts while within maxWaitMs: throttling is not a failure', async () => {
    const { pool, clock } = fakeClockPool(['s1', 's2'], { maxAttempts: 2, maxWaitMs: 10_000 });
    let calls = 0;
    const { value } = await pool.run(async () => {
      calls++;
      if (calls <= 6) throw new DotbaseError('rate_limited', 'throttled', { retryAfterMs: 500 });
      return 'made';
    });
    expect(value).toBe('made');
    expect(calls).toBe(7);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it('throws the last error after maxAttempts, each attempt on a different healthy token', async () => {
    const { pool } = fakeClockPool(['s1', 's2', 's3', 's4'], { maxAttempts: 3 });
    const tokens: string[] = [];
    const error = await caught(
      pool.run(async ({ token }) => {
        tokens.push(token);
        throw new DotbaseError('network_error', `attempt ${tokens.length} failed`);
      }),
    );
    expect((error as Error).message).toBe('attempt 3 failed');
    expect(new Set(tokens).size).toBe(3);
  });

  it('backs off longer on consecutive failures and starts over after a success', async () => {
    const { pool, clock } = fakeClockPool(['only']);
    let calls = 0;
    await pool.run(async () => {
      calls++;
      if (calls <= 2) throw new DotbaseError('upstream_error', '500');
      return 'ok';
    });
    const [first, second] = clock.sleeps as [number, number];
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThanOrEqual(1000);
    expect(second).toBeGreaterThanOrEqual(1000);
    expect(second).toBeLessThanOrEqual(2000);

    calls = 0;
    await pool.run(async () => {
      calls++;
      if (calls === 1) throw new DotbaseError('upstream_error', '500');
      return 'ok';
    });
    expect(clock.sleeps[2]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[2]).toBeLessThanOrEqual(1000);
  });

  it('spreads concurrent runs evenly over the tokens', async () => {
    const { pool } = fakeClockPool(['s1', 's2', 's3', 's4']);
    const gate = deferred();
    const runs = Array.from({ length: 40 }, () => pool.run(() => gate.promise));
    let during = await pool.stats();
    for (let tick = 0; tick < 200 && during.reduce((sum, t) => sum + t.in_flight, 0) < 40; tick++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      during = await pool.stats();
    }
    expect(during.map((t) => t.in_flight)).toEqual([10, 10, 10, 10]);
    gate.resolve();
    await Promise.all(runs);
    const after = await pool.stats();
    expect(after.map((t) => t.in_flight)).toEqual([0, 0, 0, 0]);
    expect(after.map((t) => t.request_count)).toEqual([10, 10, 10, 10]);
  });

  it('waits for the budget window when the only token spent its budget', async () => {
    const { pool, clock } = fakeClockPool(['only'], { budget: { limit: 2, windowMs: 1000 } });
    for (let i = 0; i < 3; i++) await pool.run(async () => clock.now);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('ignores a second release of the same lease', async () => {
    const { pool } = fakeClockPool(['only']);
    const first = await pool.lease();
    const second = await pool.lease();
    await first.release({ ok: true });
    await first.release({ ok: true });
    expect((await pool.stats())[0]?.in_flight).toBe(1);
    await second.release({ ok: true });
    expect((await pool.stats())[0]?.in_flight).toBe(0);
  });

  it('lets an operator disable and re-enable a token, and refuses unknown ids', async () => {
    const { pool } = fakeClockPool(['s1', 's2']);
    const [id1, id2] = await idsOf('s1', 's2');
    await pool.setActive(id1 as string, false);
    for (let i = 0; i < 3; i++) expect((await pool.run(async ({ tokenId }) => tokenId)).tokenId).toBe(id2);
    await pool.setActive(id1 as string, true);
    expect((await pool.run(async ({ tokenId }) => tokenId)).tokenId).toBe(id1);
    expect(isDotbaseError(await caught(pool.setActive('tok_nope', false)), 'not_found')).toBe(true);
  });

  it('getNextToken rotates without holding a lease; reportTokenError rotates away from the token', async () => {
    const { pool } = fakeClockPool(['s1', 's2', 's3']);
    const picks = [];
    for (let i = 0; i < 6; i++) picks.push((await pool.getNextToken()).token);
    expect(picks.slice(0, 3).sort()).toEqual(['s1', 's2', 's3']);
    expect(picks.slice(3)).toEqual(picks.slice(0, 3));
    expect((await pool.stats()).every((t) => t.in_flight === 0 && t.request_count === 2)).toBe(true);

    const next = await pool.getNextToken();
    await pool.reportTokenError(next.tokenId, 'poll failed: 502');
    const reported = (await pool.stats()).find((t) => t.id === next.tokenId);
    expect(reported).toMatchObject({ error_count: 1, last_error: 'poll failed: 502', in_flight: 0 });
    expect(reported?.cooldown_until).not.toBeNull();
    for (let i = 0; i < 4; i++) expect((await pool.getNextToken()).tokenId).not.toBe(next.tokenId);
    expect(isDotbaseError(await caught(pool.reportTokenError('tok_nope', 'x')), 'not_found')).toBe(true);
  });

  it('waits with real timers by default', async () => {
    const pool = createTokenPool({ tokens: ['only'] });
    let calls = 0;
    const result = await pool.run(async () => {
      calls++;
      if (calls === 1) throw new DotbaseError('rate_limited', 'throttled', { retryAfterMs: 30 });
      return 'ok';
    });
    expect(result.value).toBe('ok');
    expect(calls).toBe(2);
  });
});
