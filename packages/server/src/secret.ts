import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isStrongSecret, MIN_SECRET_LENGTH } from './auth/entropy.js';

const SECRET_FILE = 'secret';
/** 48 random bytes, base64url: 64 characters. Sessions and embed tokens are HMACs under this. */
const SECRET_BYTES = 48;

/** Thrown when the secret file cannot be used or replaced; the message names the file and what to do. */
export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

const isUsable = isStrongSecret;

/** Writes the secret to a temp file beside the target and flushes it, so what lands under the real name is whole. */
async function writeTemp(path: string, secret: string): Promise<string> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** After a rename or link, the folder's entry must reach the disk too, or a crash can forget the new name. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

async function readSecret(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SecretFileError(`cannot read the signing secret ${path}: ${(error as Error).message}. Fix its permissions, or set DOTBASE_SECRET.`);
  }
}

/**
 * The signing secret when `DOTBASE_SECRET` is not set: 48 random bytes generated once and kept in the data folder
 * (mode 0600), so sessions and embed tokens survive restarts. It is never logged.
 *
 * The file appears whole or not at all (written to a temp file, flushed, then linked or renamed into place), so a
 * crash or a full disk cannot leave an empty secret behind. A file that is there but unusable (empty, short, not
 * one we wrote) is replaced the same way, which ends every session signed with it; a secret under 32 random
 * bytes is never used to sign anything.
 *
 * @example
 * const secret = config.secret ?? (await loadOrCreateSecret(config.dataDir, logger));
 */
export async function loadOrCreateSecret(dataDir: string, onReplace?: (message: string) => void): Promise<string> {
  const path = join(dataDir, SECRET_FILE);
  const existing = await readSecret(path);
  if (existing !== null && isUsable(existing)) return existing;

  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  let temp: string | undefined;
  try {
    temp = await writeTemp(path, secret);
    if (existing === null) {
      // link fails if another process put its secret there meanwhile: then theirs is used, not overwritten.
      try {
        await link(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const theirs = await readSecret(path);
        if (theirs !== null && isUsable(theirs)) return theirs;
        await rename(temp, path);
        temp = undefined;
      }
    } else {
      onReplace?.(`the signing secret ${path} was unusable (empty, shorter than ${MIN_SECRET_LENGTH} characters, or plainly not random); it was replaced, so earlier sessions and embed tokens no longer work`);
      await rename(temp, path);
      temp = undefined;
    }
    await syncFolder(dirname(path));
  } catch (error) {
    if (error instanceof SecretFileError) throw error;
    throw new SecretFileError(
      `cannot write the signing secret ${path}: ${(error as Error).message}. Make ${dataDir} writable (and not full), or set DOTBASE_SECRET (at least 32 random bytes: openssl rand -base64 32).`,
    );
  } finally {
    if (temp) await unlink(temp).catch(() => undefined);
  }
  const written = await readSecret(path);
  if (written === null || !isUsable(written)) {
    throw new SecretFileError(`the signing secret ${path} did not read back as written; delete it and start again, or set DOTBASE_SECRET.`);
  }
  return written;
}
