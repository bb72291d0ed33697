import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from 'unstorage';
import fsDriver from 'unstorage/drivers/fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DotbaseError, isDotbaseError } from '../errors.js';
import { createBlobStore } from './blob-store.js';
import { makeGenerationRecord } from './generation-store-contract.js';
import { createGenerationStore } from './generation-store.js';
import { storageCall } from './storage-error.js';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An fs storage whose base is a plain file: every write fails in the driver with ENOTDIR/EEXIST. */
async function brokenStorage() {
  dir = await mkdtemp(join(tmpdir(), 'dotbase-broken-'));
  const file = join(dir, 'not-a-directory');
  await writeFile(file, 'x');
  return createStorage({ driver: fsDriver({ base: file }) });
}

describe('storage errors', () => {
  it('turn driver failures into storage_error naming the operation', async () => {
    const storage = await brokenStorage();
    const blobError = await createBlobStore(storage).put(new Uint8Array([1]), 'image/png', 'uploads').catch((e: unknown) => e);
    expect(isDotbaseError(blobError, 'storage_error')).toBe(true);
    expect((blobError as Error).message).toMatch(/\[dotbase\] \[storage\] put uploads\/.+\.png failed/);

    const record = makeGenerationRecord();
    const storeError = await createGenerationStore(storage).create(record).catch((e: unknown) => e);
    expect(isDotbaseError(storeError, 'storage_error')).toBe(true);
  });

  it('let our own errors through unchanged', async () => {
    const own = new DotbaseError('conflict', 'exists');
    await expect(storageCall('x', () => Promise.reject(own))).rejects.toBe(own);
  });
});
