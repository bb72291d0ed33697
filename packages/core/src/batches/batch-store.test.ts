import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, prefixStorage, type Storage } from 'unstorage';
import { afterAll } from 'vitest';
import { lmdbDriver } from '../storage/node/lmdb-driver.js';
import { describeBatchStoreContract } from './batch-store-contract.js';
import { createBatchStore } from './batch-store.js';

const dirs: string[] = [];
const opened: Storage[] = [];
afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.dispose()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeBatchStoreContract('memory driver', () => createBatchStore(prefixStorage(createStorage(), 'batches')));
describeBatchStoreContract('LMDB driver (the embedded store)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-batches-'));
  dirs.push(dir);
  const storage = createStorage({ driver: lmdbDriver({ path: join(dir, 'records.lmdb') }) });
  opened.push(storage);
  return createBatchStore(prefixStorage(storage, 'batches'));
});
