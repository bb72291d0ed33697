import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, prefixStorage } from 'unstorage';
import { afterAll, describe, expect, it } from 'vitest';
import { fsStorage } from '../../node.js';
import { createBlobStore } from '../blob-store.js';
import { describeGenerationStoreContract } from '../generation-store-contract.js';
import { createGenerationStore } from '../generation-store.js';
import { lmdbDriver } from './lmdb-driver.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'dotbase-lmdb-'));
const opened: Array<{ dispose(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.dispose()));
});

function lmdbStorage(path: string) {
  const storage = createStorage({ driver: lmdbDriver({ path }) });
  opened.push(storage);
  return storage;
}

describeGenerationStoreContract('lmdb driver', async () => createGenerationStore(lmdbStorage(join(await tempDir(), 'records.lmdb')), { chunkSize: 4 }));
describeGenerationStoreContract('fsStorage (lmdb records, fs blobs)', async () => {
  const storage = fsStorage(await tempDir());
  opened.push(storage);
  return createGenerationStore(prefixStorage(storage, 'generations'), { chunkSize: 4 });
});

describe('lmdbDriver', () => {
  it('lists and clears exactly the keys under a base, whatever sorts next to it', async () => {
    const driver = lmdbDriver({ path: join(await tempDir(), 'keys.lmdb') });
    const storage = createStorage({ driver });
    opened.push(storage);
    await Promise.all(['a:1', 'a:2', 'a:b:3', 'ab:4', 'b:5', 'A:6'].map((key) => storage.setItem(key, key)));
    expect((await storage.getKeys('a')).sort()).toEqual(['a:1', 'a:2', 'a:b:3']);
    expect((await storage.getKeys('a:b')).sort()).toEqual(['a:b:3']);
    expect(await storage.getKeys()).toHaveLength(6);
    await driver.clear!('a:', {}); // unstorage's own clear(base) skips a driver mounted at the root
    expect((await storage.getKeys()).sort()).toEqual(['A:6', 'ab:4', 'b:5']);
  });

  it('keeps what was written across close and reopen', async () => {
    const path = join(await tempDir(), 'reopen.lmdb');
    const first = createStorage({ driver: lmdbDriver({ path }) });
    await first.setItem('gen:1', { status: 'completed', list: [1, 2] });
    await first.setItem('gen:2', 'x');
    await first.removeItem('gen:2');
    await first.dispose();
    const second = lmdbStorage(path);
    expect(await second.getItem('gen:1')).toEqual({ status: 'completed', list: [1, 2] });
    expect(await second.hasItem('gen:2')).toBe(false);
  });

  it('gathers concurrent writes into few commits and loses none', async () => {
    const storage = lmdbStorage(join(await tempDir(), 'burst.lmdb'));
    await Promise.all(Array.from({ length: 500 }, (_, i) => storage.setItem(`k:${i}`, { i })));
    const values = await Promise.all(Array.from({ length: 500 }, (_, i) => storage.getItem<{ i: number }>(`k:${i}`)));
    expect(values.map((value) => value?.i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('fsStorage', () => {
  it('keeps images as files under blobs/ and records in one LMDB file', async () => {
    const dir = await tempDir();
    const storage = fsStorage(dir);
    opened.push(storage);
    const blobs = createBlobStore(prefixStorage(storage, 'blobs'));
    const { key } = await blobs.put(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png', 'outputs');
    await storage.setItem('generations:gen:1', { ok: true });
    expect(await readdir(join(dir, 'blobs', 'outputs'))).toEqual([key.split('/')[1]]);
    expect((await readdir(dir)).sort()).toEqual(['blobs', 'records.lmdb', 'records.lmdb-lock']);
    expect(await storage.getKeys('generations')).toEqual(['generations:gen:1']);
  });
});
