import { describe, expect, it } from 'vitest';
import { isDotbaseError } from '../errors.js';
import type { BatchRecord, BatchStore } from './types.js';

let sequence = 0;

export function makeBatchRecord(overrides: Partial<BatchRecord> = {}): BatchRecord {
  sequence += 1;
  return {
    id: `batch-${sequence}`,
    user_id: 'alice',
    items: [`gen-${sequence}-a`, `gen-${sequence}-b`],
    webhook: null,
    created_at: 1000 + sequence,
    canceled_at: null,
    ...overrides,
  };
}

/** The contract every `BatchStore` keeps, as a vitest suite; `setup` returns a fresh, empty store. */
export function describeBatchStoreContract(name: string, setup: () => BatchStore | Promise<BatchStore>): void {
  describe(`BatchStore contract: ${name}`, () => {
    it('stores and reads back a batch, refusing a second with the same id', async () => {
      const store = await setup();
      const batch = makeBatchRecord({ webhook: { url: 'http://127.0.0.1:1/hook', events_filter: ['completed'] } });
      await store.create(batch);
      expect(await store.get(batch.id)).toEqual(batch);
      expect(await store.get('batch-unknown')).toBeNull();
      const again = await store.create(batch).then(() => null, (error: unknown) => error);
      expect(isDotbaseError(again, 'conflict')).toBe(true);
    });

    it('lists only the user’s batches, newest first, page by page', async () => {
      const store = await setup();
      const mine = [makeBatchRecord(), makeBatchRecord(), makeBatchRecord()];
      for (const batch of mine) await store.create(batch);
      await store.create(makeBatchRecord({ user_id: 'bob' }));
      const first = await store.list('alice', { page: 1, limit: 2 });
      expect(first.total).toBe(3);
      expect(first.items.map((b) => b.id)).toEqual([mine[2]!.id, mine[1]!.id]);
      expect((await store.list('alice', { page: 2, limit: 2 })).items.map((b) => b.id)).toEqual([mine[0]!.id]);
      expect(await store.list('carol', { page: 1, limit: 2 })).toEqual({ items: [], total: 0 });
    });

    it('marks a batch cancelled once', async () => {
      const store = await setup();
      const batch = makeBatchRecord();
      await store.create(batch);
      expect(await store.markCanceled(batch.id, 5000)).toMatchObject({ canceled_at: 5000 });
      expect(await store.markCanceled(batch.id, 6000)).toMatchObject({ canceled_at: 5000 });
      expect(await store.get(batch.id)).toMatchObject({ canceled_at: 5000 });
      expect(await store.markCanceled('batch-unknown', 1)).toBeNull();
    });

    const limits = (perUser: number, total: number) => ({ perUser, total });
    const claimAll = async (store: BatchStore, perUser: number, total: number, now = 1000, leaseMs = 60_000) => {
      const claimed: string[] = [];
      for (let item = await store.claimNextItem(limits(perUser, total), now, leaseMs); item; item = await store.claimNextItem(limits(perUser, total), now, leaseMs)) {
        claimed.push(item.id);
      }
      return claimed;
    };

    it('hands out queued items in order, no more at once than the limits, and frees a slot when one finishes', async () => {
      const store = await setup();
      await store.queueItems('alice', ['a1', 'a2', 'a3', 'a4']);
      expect(await store.claimNextItem(limits(2, 10), 1000, 60_000)).toEqual({ id: 'a1', user_id: 'alice', state: 'claimed' });
      expect(await claimAll(store, 2, 10)).toEqual(['a2']);
      await store.markItemRunning('a1');
      expect(await claimAll(store, 2, 10)).toEqual([]);
      expect(await store.finishItem('a1')).toBe(true);
      expect(await store.finishItem('a1')).toBe(false);
      expect(await claimAll(store, 2, 10)).toEqual(['a3']);
      expect(await store.queuedItems()).toEqual([
        { id: 'a2', user_id: 'alice', state: 'claimed' },
        { id: 'a3', user_id: 'alice', state: 'claimed' },
        { id: 'a4', user_id: 'alice', state: 'waiting' },
      ]);
      // the total counts every user's items
      await store.queueItems('bob', ['b1', 'b2']);
      expect(await claimAll(store, 5, 3)).toEqual(['b1']);
      expect(await claimAll(store, 5, 4)).toHaveLength(1);
    });

    it('lets users take turns: the one served longest ago goes first', async () => {
      const store = await setup();
      await store.queueItems('alice', ['a1', 'a2', 'a3', 'a4', 'a5']);
      expect(await claimAll(store, 2, 10)).toEqual(['a1', 'a2']);
      // bob comes later, and gets the next free slot although alice's items are older
      await store.queueItems('bob', ['b1', 'b2']);
      await store.queueItems('carol', ['c1']);
      expect(await claimAll(store, 2, 3)).toEqual(['b1']);
      await store.finishItem('a1');
      expect(await claimAll(store, 2, 3)).toEqual(['c1']);
      await store.finishItem('b1');
      await store.finishItem('c1');
      await store.finishItem('a2');
      // alice was served before bob's last turn: alice, bob, alice
      expect(await claimAll(store, 2, 3)).toEqual(['a3', 'b2', 'a4']);
    });

    it('hands out again an item whose claim ran out (its scheduler died before submitting it), never a running one', async () => {
      const store = await setup();
      await store.queueItems('alice', ['a1', 'a2']);
      expect(await claimAll(store, 1, 10, 1000, 5000)).toEqual(['a1']);
      expect(await claimAll(store, 1, 10, 5999, 5000)).toEqual([]);
      expect(await claimAll(store, 1, 10, 6000, 5000)).toEqual(['a1']);
      await store.markItemRunning('a1');
      expect(await claimAll(store, 1, 10, 10 ** 12, 5000)).toEqual([]);
      expect(await claimAll(store, 2, 10, 10 ** 12, 5000)).toEqual(['a2']);
    });

    it('leaves an item queued twice as it is, and counts items queued as running', async () => {
      const store = await setup();
      await store.queueItems('alice', ['a1']);
      expect(await claimAll(store, 5, 5)).toEqual(['a1']);
      await store.queueItems('alice', ['a1', 'a2']);
      await store.queueItems('bob', ['b1', 'b2'], 'running');
      await store.markItemRunning('a2');
      expect((await store.queuedItems()).map((item) => [item.id, item.state])).toEqual([
        ['a1', 'claimed'],
        ['a2', 'waiting'],
        ['b1', 'running'],
        ['b2', 'running'],
      ]);
      expect(await claimAll(store, 5, 3)).toEqual([]);
      expect(await claimAll(store, 5, 4)).toEqual(['a2']);
    });

    it('drops only waiting items', async () => {
      const store = await setup();
      await store.queueItems('alice', ['a1', 'a2', 'a3']);
      expect(await claimAll(store, 1, 1)).toEqual(['a1']);
      expect((await store.dropItems(['a1', 'a2', 'a3', 'unknown'])).sort()).toEqual(['a2', 'a3']);
      expect((await store.queuedItems()).map((item) => item.id)).toEqual(['a1']);
    });

    it('hands each item to one claimer, and no more than the limit, when many claim at once', async () => {
      const store = await setup();
      await store.queueItems('alice', Array.from({ length: 30 }, (_, i) => `a${i}`));
      await store.queueItems('bob', Array.from({ length: 30 }, (_, i) => `b${i}`));
      const claimed = (await Promise.all(Array.from({ length: 24 }, () => store.claimNextItem(limits(4, 7), 1000, 60_000)))).filter((item) => item !== null);
      expect(claimed).toHaveLength(7);
      expect(new Set(claimed.map((item) => item.id)).size).toBe(7);
      expect(claimed.filter((item) => item.user_id === 'alice').length).toBeLessThanOrEqual(4);
      expect(claimed.filter((item) => item.user_id === 'bob').length).toBeLessThanOrEqual(4);
    });
  });
}
