import type { Storage } from 'unstorage';
import { DotbaseError } from '../errors.js';
import { keySegment } from '../storage/key-segment.js';
import { createKeyedMutex } from '../storage/keyed-mutex.js';
import { storageCall } from '../storage/storage-error.js';
import { createMemoryBatchQueue } from './memory-queue.js';
import type { BatchRecord, BatchStore } from './types.js';

/**
 * Batches on any unstorage driver. Keys: `batch:<id>` — the batch; `user:<user>` — the user's batch ids, oldest
 * first. A batch is a hundred ids at most and users make few, so one list per user is enough. The items' queue is
 * kept in memory (see memory-queue.ts): this store serves one process, and the scheduler queues the items again
 * from the generation records at start.
 *
 * @example
 * const batches = createBatchStore(prefixStorage(storage, 'batches'));
 */
export function createBatchStore(storage: Storage): BatchStore {
  const withLock = createKeyedMutex();
  const batchKey = (id: string) => `batch:${keySegment(id)}`;
  const userKey = (id: string) => `user:${keySegment(id)}`;
  const read = <T>(key: string) => storageCall(`read ${key}`, () => storage.getItem<T>(key));
  const write = (key: string, value: unknown) => storageCall(`write ${key}`, () => storage.setItem(key, value as never));

  return {
    ...createMemoryBatchQueue(),

    async create(batch) {
      await withLock(batchKey(batch.id), async () => {
        if (await read(batchKey(batch.id))) throw new DotbaseError('conflict', `batch ${batch.id} already exists`);
        await write(batchKey(batch.id), batch);
        await withLock(userKey(batch.user_id), async () => {
          const ids = (await read<string[]>(userKey(batch.user_id))) ?? [];
          await write(userKey(batch.user_id), [...ids, batch.id]);
        });
      });
    },

    get(id) {
      return read<BatchRecord>(batchKey(id));
    },

    async list(userId, { page, limit }) {
      const ids = ((await read<string[]>(userKey(userId))) ?? []).slice().reverse();
      const pageIds = ids.slice((page - 1) * limit, page * limit);
      const items = await Promise.all(pageIds.map((id) => read<BatchRecord>(batchKey(id))));
      return { items: items.filter((batch): batch is BatchRecord => batch !== null), total: ids.length };
    },

    async markCanceled(id, at) {
      return withLock(batchKey(id), async () => {
        const batch = await read<BatchRecord>(batchKey(id));
        if (!batch || batch.canceled_at !== null) return batch;
        const canceled = { ...batch, canceled_at: at };
        await write(batchKey(id), canceled);
        return canceled;
      });
    },
  };
}
