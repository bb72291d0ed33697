/**
 * Node-only helpers: embedded file storage and image tools backed by sharp. Kept out of the main entry so core
 * runs unchanged on Bun, Deno and Workers.
 *
 * @module @dotbase/core/node
 */
import { join } from 'node:path';
import { createStorage, type Storage } from 'unstorage';
import { DotbaseError } from './errors.js';
import type { ImageTools } from './images/sniff.js';
import { atomicFsDriver } from './storage/node/atomic-fs-driver.js';
import { checkLmdbFile } from './storage/node/check-lmdb-file.js';
import { lmdbDriver, type LmdbDriverOptions } from './storage/node/lmdb-driver.js';

export interface FsStorageOptions {
  /** How hard records are pushed to disk (see `LmdbDriverOptions.durability`; default `'sync'`). */
  durability?: LmdbDriverOptions['durability'];
}

/**
 * Embedded storage in one folder: images as files under `dir/blobs` (written atomically: a process killed
 * mid-write leaves the old file or the new one, never a torn one), everything else — generation records, indexes,
 * statistics — in one LMDB file, `dir/records.lmdb`, where a burst of small changes costs one commit instead of a
 * file write and a rename each. Call `storage.dispose()` to close the file. A missing (while images remain),
 * truncated or overwritten `records.lmdb` throws a `storage_error` naming the file and how to recover.
 *
 * @example
 * const dotbase = createDotbase({ tokens, storage: fsStorage('./.data') });
 */
export function fsStorage(dir: string, options: FsStorageOptions = {}): Storage {
  // before LMDB maps the file: a damaged one is a message naming it, not a SIGBUS or a silently empty store
  checkLmdbFile(join(dir, 'records.lmdb'), join(dir, 'blobs'));
  const storage = createStorage({
    driver: lmdbDriver({ path: join(dir, 'records.lmdb'), ...(options.durability ? { durability: options.durability } : {}) }),
  });
  // durability 'sync' promises that an answered write survives a power cut: image files are fsynced too
  storage.mount('blobs', atomicFsDriver({ base: join(dir, 'blobs'), fsync: (options.durability ?? 'sync') === 'sync' }));
  return storage;
}

/**
 * Image tools on sharp (an optional peer dependency, loaded on first use).
 */
export function sharpImageTools(): ImageTools {
  return {
    async invertMask(bytes) {
      let sharp: typeof import('sharp').default;
      try {
        sharp = (await import('sharp')).default;
      } catch (error) {
        throw new DotbaseError('internal', '[dotbase] [node] mask conversion needs the "sharp" package: npm install sharp', { cause: error });
      }
      const inverted = await sharp(bytes).flatten({ background: '#000000' }).greyscale().negate({ alpha: false }).png().toBuffer();
      return { bytes: new Uint8Array(inverted), contentType: 'image/png' };
    },
  };
}
export { atomicFsDriver, type AtomicFsDriverOptions } from './storage/node/atomic-fs-driver.js';
export { checkLmdbFile } from './storage/node/check-lmdb-file.js';
export { lmdbDriver, type LmdbDriverOptions } from './storage/node/lmdb-driver.js';
export { assertRecordsFileIntact, verifyRecordsFile, type DamagedEntry, type RecordsFileReport } from './storage/node/verify-records-file.js';
export {
  checkPublicUrl,
  isPublicAddress,
  UnsafeUrlError,
  type CheckedUrl,
  type HostLookup,
  type PublicUrlOptions,
  type ResolvedAddress,
} from './net/public-url.js';
export { createApiFetch, type ApiFetchOptions } from './net/api-fetch.js';
export { safeFetch, SafeFetchError, type SafeFetchOptions, type SafeResponse } from './net/safe-fetch.js';
export { hostRuleOf, matchesHostRules, parseHostRule, parseHostRules, type HostRule } from './net/host-rules.js';
