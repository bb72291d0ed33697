import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RateLimitStore, SeenOnceStore, SlotStore } from './types.js';

/**
 * `count` views of one fresh shared state: separate connections (or, in memory, the same store `count` times),
 * so a test can race them. Each call starts from nothing.
 */
export type LimitFactory<T> = (count: number) => Promise<T[]> | T[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// a window so long that no token comes back while a test runs, whatever the machine's speed
const HOUR = 3_600_000;

async function views<T>(factory: LimitFactory<T>, count: number): Promise<T[]> {
  const made = await factory(count);
  if (made.length !== count) throw new Error(`the factory made ${made.length} views, not ${count}`);
  return made;
}

/**
 * The behaviour every `RateLimitStore` must show.
 *
 * @example
 * describeRateLimitStoreContract('memory', (n) => Array(n).fill(createMemoryRateLimitStore()));
 */
export function describeRateLimitStoreContract(name: string, factory: LimitFactory<RateLimitStore>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    it('allows a burst of `limit` hits, then refuses with the seconds until the next request is allowed', async () => {
      const [store] = (await views(factory, 1)) as [RateLimitStore];
      for (let i = 0; i < 3; i++) expect(await store.hit('alice', 3, 60_000), `hit ${i + 1}`).toEqual({ ok: true });
      const refused = await store.hit('alice', 3, 60_000);
      expect(refused.ok).toBe(false);
      // one token comes back every 20 s
      if (!refused.ok) {
        expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(refused.retryAfterSeconds).toBeLessThanOrEqual(20);
        expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true);
      }
    });

    it('keeps keys apart', async () => {
      const [store] = (await views(factory, 1)) as [RateLimitStore];
      expect(await store.hit('alice', 1, HOUR)).toEqual({ ok: true });
      expect((await store.hit('alice', 1, HOUR)).ok).toBe(false);
      expect(await store.hit('bob', 1, HOUR)).toEqual({ ok: true });
    });

    it('refills over the window, and a refused hit spends nothing', async () => {
      const [store] = (await views(factory, 1)) as [RateLimitStore];
      // 2 per second: a token every 500 ms
      expect(await store.hit('alice', 2, 1000)).toEqual({ ok: true });
      expect(await store.hit('alice', 2, 1000)).toEqual({ ok: true });
      for (let i = 0; i < 20; i++) expect((await store.hit('alice', 2, 1000)).ok, `refused hit ${i + 1}`).toBe(false);
      // had the refused hits been spent, the bucket would be 20 tokens in debt: 10 s, not 0.6 s, to the next one
      await sleep(600);
      expect(await store.hit('alice', 2, 1000)).toEqual({ ok: true });
    });

    it('never lets more than `limit` through when many hit at once from several connections', async () => {
      const stores = await views(factory, 4);
      const verdicts = await Promise.all(Array.from({ length: 240 }, (_, i) => (stores[i % stores.length] as RateLimitStore).hit('carol', 50, HOUR)));
      expect(verdicts.filter((verdict) => verdict.ok)).toHaveLength(50);
    });
  });
}

/**
 * The behaviour every `SlotStore` must show.
 *
 * @example
 * describeSlotStoreContract('memory', (n) => Array(n).fill(createMemorySlotStore()));
 */
export function describeSlotStoreContract(name: string, factory: LimitFactory<SlotStore>): void {
  describe(`SlotStore contract: ${name}`, () => {
    it('hands out at most `max` slots of a key until one is released', async () => {
      const [slots] = (await views(factory, 1)) as [SlotStore];
      expect(await slots.acquire('streams:alice', 'h1', 2, 60_000)).toBe(true);
      expect(await slots.acquire('streams:alice', 'h2', 2, 60_000)).toBe(true);
      expect(await slots.acquire('streams:alice', 'h3', 2, 60_000)).toBe(false);
      expect(await slots.count('streams:alice')).toBe(2);
      // other keys have their own slots
      expect(await slots.acquire('streams:bob', 'h1', 2, 60_000)).toBe(true);
      await slots.release('streams:alice', 'h1');
      expect(await slots.count('streams:alice')).toBe(1);
      expect(await slots.acquire('streams:alice', 'h3', 2, 60_000)).toBe(true);
      // releasing what is not held changes nothing
      await slots.release('streams:alice', 'nobody');
      await slots.release('streams:nobody', 'h1');
      expect(await slots.count('streams:alice')).toBe(2);
      expect(await slots.count('streams:nobody')).toBe(0);
    });

    it('lets a holder acquire again without taking a second slot', async () => {
      const [slots] = (await views(factory, 1)) as [SlotStore];
      expect(await slots.acquire('k', 'h1', 1, 60_000)).toBe(true);
      expect(await slots.acquire('k', 'h1', 1, 60_000)).toBe(true);
      expect(await slots.count('k')).toBe(1);
      expect(await slots.acquire('k', 'h2', 1, 60_000)).toBe(false);
    });

    it('moves a slot to another holder without freeing it in between', async () => {
      const [slots] = (await views(factory, 1)) as [SlotStore];
      expect(await slots.acquire('k', 'reservation', 2, 60_000)).toBe(true);
      expect(await slots.acquire('k', 'other', 2, 60_000)).toBe(true);
      expect(await slots.move('k', 'reservation', 'gen:1', 60_000)).toBe(true);
      expect(await slots.count('k')).toBe(2);
      expect(await slots.acquire('k', 'third', 2, 60_000)).toBe(false);
      // the new holder owns it: releasing the old one changes nothing, releasing the new one frees it
      await slots.release('k', 'reservation');
      expect(await slots.count('k')).toBe(2);
      await slots.release('k', 'gen:1');
      expect(await slots.count('k')).toBe(1);
      // nothing to move
      expect(await slots.move('k', 'absent', 'gen:2', 60_000)).toBe(false);
      expect(await slots.count('k')).toBe(1);
      // onto a holder already there: the two become one
      expect(await slots.acquire('k', 'again', 2, 60_000)).toBe(true);
      expect(await slots.move('k', 'again', 'other', 60_000)).toBe(true);
      expect(await slots.count('k')).toBe(1);
    });

    it('does not move an expired slot', async () => {
      const [slots] = (await views(factory, 1)) as [SlotStore];
      expect(await slots.acquire('k', 'dead', 2, 200)).toBe(true);
      await sleep(400);
      expect(await slots.move('k', 'dead', 'gen:1', 60_000)).toBe(false);
      expect(await slots.count('k')).toBe(0);
    });

    it('frees the slots nobody renews (an instance that died) after their time', async () => {
      const [slots] = (await views(factory, 1)) as [SlotStore];
      expect(await slots.acquire('k', 'dead-1', 2, 300)).toBe(true);
      expect(await slots.acquire('k', 'dead-2', 2, 300)).toBe(true);
      expect(await slots.acquire('k', 'late', 2, 60_000)).toBe(false);
      await sleep(500);
      expect(await slots.count('k')).toBe(0);
      expect(await slots.acquire('k', 'late', 2, 60_000)).toBe(true);
      // an expired slot is not brought back by renewing it
      await slots.renew([{ key: 'k', holder: 'dead-1' }], 60_000);
      expect(await slots.count('k')).toBe(1);
    });

    it('keeps renewed slots past their first expiry', async () => {
      const [slots] = (await views(factory, 1)) as [SlotStore];
      expect(await slots.acquire('k', 'kept', 2, 1000)).toBe(true);
      expect(await slots.acquire('k', 'dropped', 2, 1000)).toBe(true);
      for (let i = 0; i < 8; i++) {
        await sleep(200);
        await slots.renew([{ key: 'k', holder: 'kept' }, { key: 'other', holder: 'absent' }], 1000);
      }
      // 1.6 s later: the renewed slot is there, the other one has expired
      expect(await slots.count('k')).toBe(1);
      expect(await slots.acquire('k', 'new', 2, 60_000)).toBe(true);
      expect(await slots.acquire('k', 'one-more', 2, 60_000)).toBe(false);
    });

    it('never hands out more than `max` when many acquire at once from several connections', async () => {
      const stores = await views(factory, 4);
      const results = await Promise.all(Array.from({ length: 120 }, (_, i) => (stores[i % stores.length] as SlotStore).acquire('race', randomUUID(), 10, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(10);
      expect(await (stores[0] as SlotStore).count('race')).toBe(10);
    });
  });
}

/**
 * The behaviour every `SeenOnceStore` must show.
 *
 * @example
 * describeSeenOnceStoreContract('memory', (n) => Array(n).fill(createMemorySeenOnceStore()));
 */
export function describeSeenOnceStoreContract(name: string, factory: LimitFactory<SeenOnceStore>): void {
  describe(`SeenOnceStore contract: ${name}`, () => {
    it('says first time once per id', async () => {
      const [seen] = (await views(factory, 1)) as [SeenOnceStore];
      expect(await seen.firstTime('msg_1', 60_000)).toBe(true);
      expect(await seen.firstTime('msg_1', 60_000)).toBe(false);
      expect(await seen.firstTime('msg_2', 60_000)).toBe(true);
    });

    it('takes an id again once it is forgotten', async () => {
      const [seen] = (await views(factory, 1)) as [SeenOnceStore];
      expect(await seen.firstTime('msg_1', 60_000)).toBe(true);
      await seen.forget('msg_1');
      expect(await seen.firstTime('msg_1', 60_000)).toBe(true);
      expect(await seen.firstTime('msg_1', 60_000)).toBe(false);
      await seen.forget('never-seen');
    });

    it('forgets ids after their time', async () => {
      const [seen] = (await views(factory, 1)) as [SeenOnceStore];
      expect(await seen.firstTime('msg_1', 300)).toBe(true);
      expect(await seen.firstTime('msg_2', 60_000)).toBe(true);
      await sleep(500);
      expect(await seen.firstTime('msg_1', 60_000)).toBe(true);
      expect(await seen.firstTime('msg_2', 60_000)).toBe(false);
    });

    it('says first time to exactly one of many asking at once from several connections', async () => {
      const stores = await views(factory, 4);
      const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
      const answers = await Promise.all(ids.flatMap((id) => Array.from({ length: 8 }, (_, j) => (stores[j % stores.length] as SeenOnceStore).firstTime(id, 60_000))));
      for (let i = 0; i < ids.length; i++) expect(answers.slice(i * 8, i * 8 + 8).filter(Boolean), ids[i]).toHaveLength(1);
    });
  });
}
