/**
 * Node-only helpers: embedded file storage and image tools backed by sharp. Kept out of the main entry so core
 * runs unchanged on Bun, Deno and Workers.
 */
import { createStorage, type Storage } from 'unstorage';
import { DotbaseError } from './errors.js';
import type { ImageTools } from './images/sniff.js';
import { atomicFsDriver } from './storage/node/atomic-fs-driver.js';

/**
 * An unstorage instance that keeps everything in files below `dir`, written atomically (a process killed
 * mid-write leaves the old file or the new one, never a torn one).
 *
 * @example
 * const dotbase = createDotbase({ tokens, storage: fsStorage('./.data') });
 */
export function fsStorage(dir: string): Storage {
  return createStorage({ driver: atomicFsDriver({ base: dir }) });
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
        throw new DotbaseError('internal', '[dotbase] [node] mask conversion needs the "sharp" package installed', { cause: error });
      }
      const inverted = await sharp(bytes).flatten({ background: '#000000' }).greyscale().negate({ alpha: false }).png().toBuffer();
      return { bytes: new Uint8Array(inverted), contentType: 'image/png' };
    },
  };
}
export { atomicFsDriver } from './storage/node/atomic-fs-driver.js';
