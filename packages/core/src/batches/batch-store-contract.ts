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
  });
}
