import { describe, expect, it } from 'vitest';
import { isDotbaseError } from '../errors.js';
import type { AcquireResult, TokenPoolState } from './types.js';

const T0 = 1_700_000_000_000;

async function leasedId(state: TokenPoolState, now: number, budget?: { limit: number; windowMs: number }): Promise<string> {
  const result = await state.acquire(now, budget);
  if (result.kind !== 'leased') throw new Error(`expected a lease, got ${JSON.stringify(result)}`);
  return result.id;
}

async function expectNotFound(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(isDotbaseError(error, 'not_found')).toBe(true);
}

/**
 * The behaviour every `TokenPoolState` must show. Each test gets a fresh state from `factory`.
 *
 * @example
 * describeTokenPoolStateContract('memory', () => createMemoryTokenPoolState());
 */
export function describeTokenPoolStateContract(name: string, factory: () => Promise<TokenPoolState> | TokenPoolState): void {
  describe(`TokenPoolState contract: ${name}`, () => {
    async function stateWith(ids: string[]): Promise<TokenPoolState> {
      const state = await factory();
      await state.register(ids);
      return state;
    }

    it('answers none when no token is registered', async () => {
      const state = await stateWith([]);
      expect(await state.acquire(T0)).toEqual({ kind: 'none' });
    });

    it('picks the lowest id among fresh tokens', async () => {
      const state = await stateWith(['tok_c', 'tok_a', 'tok_b']);
      expect(await leasedId(state, T0)).toBe('tok_a');
    });

    it('spreads concurrent leases so in_flight differs by at most 1', async () => {
      for (const [tokens, leases] of [[4, 10], [3, 7], [5, 5], [2, 9]] as const) {
        const state = await stateWith(Array.from({ length: tokens }, (_, i) => `tok_${i}`));
        await Promise.all(Array.from({ length: leases }, () => state.acquire(T0)));
        const inFlight = (await state.list()).map((t) => t.in_flight);
        expect(inFlight.reduce((a, b) => a + b, 0)).toBe(leases);
        expect(Math.max(...inFlight) - Math.min(...inFlight)).toBeLessThanOrEqual(1);
      }
    });

    it('prefers the token with fewer leases in flight over a less recently used one', async () => {
      const state = await stateWith(['tok_a', 'tok_b']);
      const first = await leasedId(state, T0); // tok_a, still held
      const second = await leasedId(state, T0 + 1); // tok_b
      await state.release(second, { ok: true }, T0 + 2);
      expect(await leasedId(state, T0 + 3)).toBe(second);
      expect(first).toBe('tok_a');
    });

    it('rotates round-robin among equal tokens, even within one millisecond', async () => {
      const state = await stateWith(['tok_b', 'tok_a', 'tok_c']);
      const picks: string[] = [];
      for (let i = 0; i < 7; i++) {
        const id = await leasedId(state, T0);
        picks.push(id);
        await state.release(id, { ok: true }, T0);
      }
      expect(picks).toEqual(['tok_a', 'tok_b', 'tok_c', 'tok_a', 'tok_b', 'tok_c', 'tok_a']);
    });

    it('skips cooling tokens and answers wait with the earliest end when all cool', async () => {
      const state = await stateWith(['tok_a', 'tok_b']);
      const a = await leasedId(state, T0);
      await state.release(a, { ok: false, error: '429', countsAsError: true, cooldownUntil: T0 + 5000 }, T0);
      const b = await leasedId(state, T0 + 1);
      expect(b).toBe('tok_b');
      await state.release(b, { ok: false, error: '429', countsAsError: true, cooldownUntil: T0 + 3000 }, T0 + 1);
      expect(await state.acquire(T0 + 10)).toEqual<AcquireResult>({ kind: 'wait', until: T0 + 3000 });
      expect(await leasedId(state, T0 + 3000)).toBe('tok_b');
      // tok_a still cools, so tok_b takes a second lease although it has one in flight.
      expect(await leasedId(state, T0 + 4999)).toBe('tok_b');
      expect(await leasedId(state, T0 + 5000)).toBe('tok_a');
    });

    it('never shortens a cooldown', async () => {
      const state = await stateWith(['tok_a']);
      await state.acquire(T0);
      await state.acquire(T0);
      await state.release('tok_a', { ok: false, error: 'x', countsAsError: true, cooldownUntil: T0 + 9000 }, T0);
      await state.release('tok_a', { ok: false, error: 'y', countsAsError: true, cooldownUntil: T0 + 1000 }, T0);
      expect((await state.get('tok_a'))?.cooldown_until).toBe(T0 + 9000);
    });

    it('skips inactive tokens, ignores their cooldowns, and answers none when all are inactive', async () => {
      const state = await stateWith(['tok_a', 'tok_b']);
      await state.setActive('tok_a', false);
      expect(await leasedId(state, T0)).toBe('tok_b');
      await state.release('tok_b', { ok: false, error: '429', countsAsError: true, cooldownUntil: T0 + 2000 }, T0);
      expect(await state.acquire(T0 + 1)).toEqual<AcquireResult>({ kind: 'wait', until: T0 + 2000 });
      await state.setActive('tok_b', false);
      expect(await state.acquire(T0 + 1)).toEqual<AcquireResult>({ kind: 'none' });
      await state.setActive('tok_a', true);
      expect(await leasedId(state, T0 + 2)).toBe('tok_a');
    });

    it('holds a token over its budget until the oldest acquire leaves the window', async () => {
      const budget = { limit: 2, windowMs: 1000 };
      const state = await stateWith(['tok_a']);
      await leasedId(state, T0, budget);
      await leasedId(state, T0 + 100, budget);
      expect(await state.acquire(T0 + 200, budget)).toEqual<AcquireResult>({ kind: 'wait', until: T0 + 1000 });
      expect(await state.acquire(T0 + 999, budget)).toEqual<AcquireResult>({ kind: 'wait', until: T0 + 1000 });
      expect(await leasedId(state, T0 + 1000, budget)).toBe('tok_a');
      expect(await state.acquire(T0 + 1001, budget)).toEqual<AcquireResult>({ kind: 'wait', until: T0 + 1100 });
      // Releases do not give budget back: the budget counts calls started, not calls running.
      await state.release('tok_a', { ok: true }, T0 + 1002);
      expect((await state.acquire(T0 + 1003, budget)).kind).toBe('wait');
    });

    it('moves to the next token when one is over budget', async () => {
      const budget = { limit: 1, windowMs: 60_000 };
      const state = await stateWith(['tok_a', 'tok_b']);
      const picks = [await leasedId(state, T0, budget), await leasedId(state, T0, budget)];
      expect(picks.sort()).toEqual(['tok_a', 'tok_b']);
      expect(await state.acquire(T0 + 1, budget)).toEqual<AcquireResult>({ kind: 'wait', until: T0 + 60_000 });
    });

    it('keeps stats right through leases and releases', async () => {
      const state = await stateWith(['tok_a']);
      await state.acquire(T0);
      await state.acquire(T0 + 10);
      let stats = await state.get('tok_a');
      expect(stats).toMatchObject({ id: 'tok_a', is_active: true, request_count: 2, in_flight: 2, error_count: 0, last_used_at: T0 + 10 });
      await state.release('tok_a', { ok: true }, T0 + 20);
      await state.release('tok_a', { ok: false, error: 'upstream_error: 502', countsAsError: true }, T0 + 30);
      stats = await state.get('tok_a');
      expect(stats).toEqual({
        id: 'tok_a',
        is_active: true,
        request_count: 2,
        error_count: 1,
        in_flight: 0,
        last_used_at: T0 + 10,
        last_error: 'upstream_error: 502',
        cooldown_until: null,
      });
    });

    it("does not count the caller's errors against the token", async () => {
      const state = await stateWith(['tok_a']);
      await state.acquire(T0);
      await state.release('tok_a', { ok: false, error: 'invalid_input: bad prompt', countsAsError: false }, T0);
      expect(await state.get('tok_a')).toMatchObject({ error_count: 0, last_error: null, in_flight: 0, is_active: true });
    });

    it('disables a token on a disabling outcome and records why', async () => {
      const state = await stateWith(['tok_a', 'tok_b']);
      await state.acquire(T0);
      await state.release('tok_a', { ok: false, error: 'unauthorized: 401', countsAsError: true, disable: true }, T0);
      expect(await state.get('tok_a')).toMatchObject({ is_active: false, last_error: 'unauthorized: 401', error_count: 1 });
      expect(await leasedId(state, T0 + 1)).toBe('tok_b');
    });

    it('records a failure outside a lease without touching in_flight', async () => {
      const state = await stateWith(['tok_a']);
      await state.acquire(T0);
      await state.recordFailure('tok_a', { ok: false, error: 'poll failed', countsAsError: true, cooldownUntil: T0 + 500 }, T0);
      expect(await state.get('tok_a')).toMatchObject({ in_flight: 1, error_count: 1, last_error: 'poll failed', cooldown_until: T0 + 500 });
    });

    it('keeps stats when ids are registered again', async () => {
      const state = await stateWith(['tok_a']);
      await state.acquire(T0);
      await state.release('tok_a', { ok: false, error: 'boom', countsAsError: true }, T0);
      await state.setActive('tok_a', false);
      await state.register(['tok_a', 'tok_b']);
      expect(await state.get('tok_a')).toMatchObject({ request_count: 1, error_count: 1, is_active: false, last_error: 'boom' });
      expect(await state.get('tok_b')).toMatchObject({ request_count: 0, is_active: true, last_used_at: null });
    });

    it('lists every token ordered by id and answers undefined for unknown ids', async () => {
      const state = await stateWith(['tok_c', 'tok_a', 'tok_b']);
      expect((await state.list()).map((t) => t.id)).toEqual(['tok_a', 'tok_b', 'tok_c']);
      expect(await state.get('tok_zzz')).toBeUndefined();
    });

    it('refuses unknown ids with not_found', async () => {
      const state = await stateWith(['tok_a']);
      await expectNotFound(state.setActive('tok_x', false));
      await expectNotFound(state.release('tok_x', { ok: true }, T0));
      await expectNotFound(state.recordFailure('tok_x', { ok: false, error: 'x', countsAsError: true }, T0));
    });
  });
}
