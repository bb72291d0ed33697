import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, prefixStorage, type Storage } from 'unstorage';
import { afterAll } from 'vitest';
import { lmdbDriver } from '../storage/node/lmdb-driver.js';
import { describeOutboxStoreContract } from './outbox-store-contract.js';
import { createOutboxStore } from './outbox-store.js';

const dirs: string[] = [];
const opened: Storage[] = [];
afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.dispose()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function lmdbStorage(path: string): Storage {
  const storage = createStorage({ driver: lmdbDriver({ path }) });
  opened.push(storage);
  return storage;
}

const backing = new WeakMap<object, { path: string }>();

describeOutboxStoreContract('memory driver', () => createOutboxStore(prefixStorage(createStorage(), 'outbox')));
describeOutboxStoreContract(
  'LMDB driver (the embedded store)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotbase-outbox-'));
    dirs.push(dir);
    const path = join(dir, 'records.lmdb');
    const store = createOutboxStore(prefixStorage(lmdbStorage(path), 'outbox'));
    backing.set(store, { path });
    return store;
  },
  (store) => createOutboxStore(prefixStorage(lmdbStorage(backing.get(store)!.path), 'outbox')),
);
