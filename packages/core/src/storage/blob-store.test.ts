import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, prefixStorage } from 'unstorage';
import fsDriver from 'unstorage/drivers/fs';
import fsLiteDriver from 'unstorage/drivers/fs-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from './blob-store-contract.js';
import { createBlobStore } from './blob-store.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-blobs-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeBlobStoreContract('memory driver', () => createBlobStore(createStorage()));
describeBlobStoreContract('memory driver, prefixed', () => createBlobStore(prefixStorage(createStorage(), 'blobs')));
describeBlobStoreContract('fs driver', async () => createBlobStore(createStorage({ driver: fsDriver({ base: await tempDir() }) })));
describeBlobStoreContract('fs-lite driver', async () => createBlobStore(createStorage({ driver: fsLiteDriver({ base: await tempDir() }) })));

describe('createBlobStore on the fs driver', () => {
  it('writes the bytes as a plain file named by the key and reads them back after reopening', async () => {
    const dir = await tempDir();
    const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    const { key } = await createBlobStore(createStorage({ driver: fsDriver({ base: dir }) })).put(bytes, 'image/png', 'uploads');
    expect(await readdir(join(dir, 'uploads'))).toEqual([key.slice('uploads/'.length)]);
    expect(Array.from(await readFile(join(dir, key)))).toEqual(Array.from(bytes));

    const reopened = createBlobStore(createStorage({ driver: fsDriver({ base: dir }) }));
    const got = await reopened.get(key);
    expect(got?.contentType).toBe('image/png');
    // A plain Uint8Array, not the driver's Buffer.
    expect(got?.bytes.constructor).toBe(Uint8Array);
    expect(Array.from(got?.bytes ?? [])).toEqual(Array.from(bytes));
  });
});
