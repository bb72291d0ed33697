import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Driver } from 'unstorage';
import fsDriver from 'unstorage/drivers/fs';

/** Where half-written files live until they are renamed into place; never listed as keys. */
const TEMP_DIR = '.dotbase-tmp';

/**
 * unstorage's fs driver, except that writes are atomic: each value goes to a temporary file that is then renamed
 * over the key's file. The stock driver truncates and rewrites in place, so a process killed mid-write (SIGKILL,
 * OOM) leaves a torn JSON file that makes every later read of it fail. Rename is atomic within one file system,
 * so a reader sees the old value or the new one, never half of either. (Durability across power loss would also
 * need fsync; a killed process is what this guards against.)
 */
export function atomicFsDriver(options: { base: string }): Driver {
  const base = resolve(options.base);
  const temp = join(base, TEMP_DIR);
  const inner = fsDriver({ base, ignore: ['**/node_modules/**', '**/.git/**', `**/${TEMP_DIR}/**`] });

  function pathOf(key: string): string {
    const path = resolve(base, key.replace(/:/g, '/'));
    if (!path.startsWith(base + sep)) throw new Error(`[unstorage] [dotbase-fs] invalid key: ${JSON.stringify(key)}`);
    return path;
  }

  async function write(key: string, data: string | Uint8Array): Promise<void> {
    const path = pathOf(key);
    await Promise.all([mkdir(dirname(path), { recursive: true }), mkdir(temp, { recursive: true })]);
    const scratch = join(temp, `${randomBytes(12).toString('hex')}.tmp`);
    try {
      await writeFile(scratch, data);
      await rename(scratch, path);
    } catch (error) {
      await rm(scratch, { force: true });
      throw error;
    }
  }

  return {
    ...inner,
    name: 'dotbase-fs',
    setItem: (key: string, value: string) => write(key, value),
    setItemRaw: (key: string, value: Uint8Array) => write(key, value),
  };
}
