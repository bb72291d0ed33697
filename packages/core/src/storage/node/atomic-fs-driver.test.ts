import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '../blob-store-contract.js';
import { createBlobStore } from '../blob-store.js';
import { describeGenerationStoreContract } from '../generation-store-contract.js';
import { createGenerationStore } from '../generation-store.js';
import { atomicFsDriver } from './atomic-fs-driver.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'dotbase-atomic-fs-'));

describeGenerationStoreContract('atomic fs driver', async () => createGenerationStore(createStorage({ driver: atomicFsDriver({ base: await tempDir() }) }), { chunkSize: 4 }));
describeBlobStoreContract('atomic fs driver', async () => createBlobStore(createStorage({ driver: atomicFsDriver({ base: await tempDir() }) })));

describe('atomicFsDriver', () => {
  it('writes through a temporary file that is renamed into place and never listed as a key', async () => {
    const base = await tempDir();
    const storage = createStorage({ driver: atomicFsDriver({ base }) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.setItem(`a:b:${i}`, { i })));
    expect((await storage.getKeys('a')).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `a:b:${i}`).sort());
    expect(await storage.getKeys()).toHaveLength(20);
    expect(await readdir(join(base, '.dotbase-tmp'))).toEqual([]);
    expect(await storage.getItem('a:b:7')).toEqual({ i: 7 });
  });

  it('writes again after its folders were removed behind its back', async () => {
    const base = await tempDir();
    const storage = createStorage({ driver: atomicFsDriver({ base }) });
    await storage.setItem('a:b:1', 'one');
    await rm(join(base, 'a'), { recursive: true });
    await rm(join(base, '.dotbase-tmp'), { recursive: true });
    await storage.setItem('a:b:2', 'two');
    expect(await storage.getItem('a:b:2')).toBe('two');
  });

  it('refuses keys that would leave its folder', async () => {
    const storage = createStorage({ driver: atomicFsDriver({ base: await tempDir() }) });
    await expect(storage.setItem('..:..:etc:x', 'no')).rejects.toThrow();
  });
});
