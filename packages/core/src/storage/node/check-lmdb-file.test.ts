import { mkdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStorage } from 'unstorage';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers.js';
import { checkLmdbFile } from './check-lmdb-file.js';
import { lmdbDriver } from './lmdb-driver.js';

const removals: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const remove of removals.splice(0)) await remove();
});

async function database(records = 300): Promise<{ dir: string; file: string }> {
  const temp = await tempDir();
  removals.push(temp.remove);
  const file = join(temp.dir, 'records.lmdb');
  const storage = createStorage({ driver: lmdbDriver({ path: file }) });
  for (let i = 0; i < records; i += 1) await storage.setItem(`k${i}`, 'x'.repeat(500));
  await storage.dispose();
  return { dir: temp.dir, file };
}

describe('checkLmdbFile', () => {
  it('passes a database LMDB wrote, and a first start (no file, no images)', async () => {
    const { dir, file } = await database();
    expect(() => checkLmdbFile(file, join(dir, 'blobs'))).not.toThrow();
    expect(() => checkLmdbFile(join(dir, 'none.lmdb'), join(dir, 'blobs'))).not.toThrow();
  });

  it('refuses a truncated file, naming it', async () => {
    const { file } = await database();
    await truncate(file, (await stat(file)).size - 4096);
    expect(() => checkLmdbFile(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is truncated`));
  });

  it('refuses a file without an LMDB header', async () => {
    const { file } = await database(1);
    await writeFile(file, Buffer.alloc(16_384, 7));
    expect(() => checkLmdbFile(file)).toThrow(/is not an LMDB database/);
  });

  it('refuses a missing file while images remain beside it', async () => {
    const { dir } = await database(1);
    await mkdir(join(dir, 'blobs', 'outputs'), { recursive: true });
    await writeFile(join(dir, 'blobs', 'outputs', 'a.png'), 'x');
    expect(() => checkLmdbFile(join(dir, 'gone.lmdb'), join(dir, 'blobs'))).toThrow(/is missing, but .* still holds stored images/);
  });
});
