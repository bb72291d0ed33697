import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, prefixStorage, type Driver } from 'unstorage';
import fsDriver from 'unstorage/drivers/fs';
import fsLiteDriver from 'unstorage/drivers/fs-lite';
import memoryDriver from 'unstorage/drivers/memory';
import { afterAll, describe, expect, it } from 'vitest';
import { describeGenerationStoreContract, makeGenerationRecord } from './generation-store-contract.js';
import { createGenerationStore } from './generation-store.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-generations-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeGenerationStoreContract('memory driver', () => createGenerationStore(createStorage()));
describeGenerationStoreContract('memory driver, prefixed', () => createGenerationStore(prefixStorage(createStorage(), 'generations')));
// Tiny chunks put every contract scenario across many chunks, so paging and filters cross chunk borders.
describeGenerationStoreContract('memory driver, 3-entry chunks', () => createGenerationStore(createStorage(), { chunkSize: 3 }));
describeGenerationStoreContract('memory driver, no read cache', () => createGenerationStore(createStorage(), { cacheEntries: 0, chunkSize: 3 }));
describeGenerationStoreContract('fs driver', async () => createGenerationStore(createStorage({ driver: fsDriver({ base: await tempDir() }) })));
describeGenerationStoreContract('fs-lite driver, 4-entry chunks', async () =>
  createGenerationStore(createStorage({ driver: fsLiteDriver({ base: await tempDir() }) }), { chunkSize: 4 }),
);

/** The real memory driver, recording every key read, to see what a list costs. */
function countingMemoryStorage() {
  const inner = memoryDriver();
  const reads: string[] = [];
  const driver: Driver = {
    ...inner,
    getItem(key, options) {
      reads.push(key);
      return inner.getItem(key, options);
    },
  };
  return { storage: createStorage({ driver }), reads };
}

describe('createGenerationStore', () => {
  it('sees everything again when reopened over the same fs directory', async () => {
    const dir = await tempDir();
    const first = createGenerationStore(createStorage({ driver: fsDriver({ base: dir }) }), { chunkSize: 4 });
    const records = Array.from({ length: 10 }, (_, i) => makeGenerationRecord({ status: i % 2 ? 'completed' : 'processing', processing_time_ms: i % 2 ? 100 * i : null }));
    for (const record of records) await first.create(record);
    await first.update(records[0]?.id as string, { status: 'failed', error: 'boom' });

    const reopened = createGenerationStore(createStorage({ driver: fsDriver({ base: dir }) }));
    expect(await reopened.get(records[0]?.id as string)).toMatchObject({ status: 'failed', error: 'boom' });
    const page = await reopened.list('alice', { page: 1, limit: 3, status: 'completed' });
    expect(page.total).toBe(5);
    expect(page.items.map((r) => r.id)).toEqual([records[9], records[7], records[5]].map((r) => r?.id));
    expect((await reopened.listUnfinished()).sort()).toEqual([2, 4, 6, 8].map((i) => records[i]?.id).sort());
    expect(await reopened.stats(records[0]?.created_at as number)).toEqual(await first.stats(records[0]?.created_at as number));
    // The reopened store keeps appending to the index as it was built (4-entry chunks).
    const next = makeGenerationRecord();
    await reopened.create(next);
    expect((await reopened.list('alice', { page: 1, limit: 1 })).items[0]?.id).toBe(next.id);
    expect((await reopened.list('alice', { page: 3, limit: 4 })).items.map((r) => r.id)).toEqual([records[2], records[1], records[0]].map((r) => r?.id));
  });

  it('reads the same keys for the first pages whether a user has 200 or 6,000 generations', async () => {
    async function readsForPages(count: number) {
      const { storage, reads } = countingMemoryStorage();
      const store = createGenerationStore(storage, { chunkSize: 50 });
      for (let i = 0; i < count; i++) await store.create(makeGenerationRecord({ status: i % 10 === 0 ? 'failed' : 'completed', favorite: i % 10 === 3 }));
      const costs: Record<string, { keys: number; chunks: number }> = {};
      for (const [label, query] of [
        ['page 1', { page: 1, limit: 12 }],
        ['page 2', { page: 2, limit: 12 }],
        ['page 1 failed', { page: 1, limit: 12, status: 'failed' as const }],
        ['page 1 favorites', { page: 1, limit: 12, favorite: true as const }],
      ] as const) {
        reads.length = 0;
        const result = await store.list('alice', query);
        expect(result.items).toHaveLength(12);
        costs[label] = { keys: reads.length, chunks: reads.filter((key) => key.includes(':chunks:')).length };
      }
      return costs;
    }
    const small = await readsForPages(200);
    const large = await readsForPages(6000);
    expect(large).toEqual(small);
    // meta + at most 3 chunks (the failed filter matches 1 in 10, 5 per chunk) + the 12 records; favorites (1 in 10)
    // read like the failed filter.
    for (const cost of Object.values(large)) expect(cost.keys).toBeLessThanOrEqual(1 + 3 + 12);
  });

  it('skips whole chunks on deep pages instead of reading them', async () => {
    const { storage, reads } = countingMemoryStorage();
    const store = createGenerationStore(storage, { chunkSize: 50 });
    const records = [];
    for (let i = 0; i < 3000; i++) {
      const record = makeGenerationRecord({ action: i % 3 === 0 ? 'edit' : 'create' });
      records.push(record);
      await store.create(record);
    }
    reads.length = 0;
    const page = await store.list('alice', { page: 40, limit: 12, action: 'edit' });
    const edits = records.filter((r) => r.action === 'edit').reverse();
    expect(page.total).toBe(1000);
    expect(page.items.map((r) => r.id)).toEqual(edits.slice(39 * 12, 40 * 12).map((r) => r.id));
    expect(reads.filter((key) => key.includes(':chunks:')).length).toBeLessThanOrEqual(2);
  });
});
