import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SECRET_FILE = 'secret';

/**
 * The signing secret when `DOTBASE_SECRET` is not set: generated once and kept in the data folder (mode 0600), so
 * sessions and embed tokens survive restarts. It is never logged.
 *
 * @example
 * const secret = config.secret ?? (await loadOrCreateSecret(config.dataDir));
 */
export async function loadOrCreateSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, SECRET_FILE);
  const read = async () => (await readFile(path, 'utf8')).trim();
  try {
    const existing = await read();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': if another process created it meanwhile, use theirs rather than overwrite it.
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  }
}
