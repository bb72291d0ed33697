import type { Storage } from 'unstorage';
import { DotbaseError } from '../errors.js';
import { checkBlobListing, isBlobKey, newBlobKey, parseBlobKey as parseKey } from './blob-keys.js';
import { storageCall } from './storage-error.js';
import type { BlobStore, StoredBlob } from './types.js';

/** Drivers hand back Buffers (fs), the very array stored (memory) or ArrayBuffers; callers get a private copy. */
function toBytes(raw: unknown, key: string): Uint8Array | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Uint8Array) return new Uint8Array(raw);
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw.slice(0));
  throw new DotbaseError('storage_error', `[dotbase] [blob-store] ${key} holds no bytes (${typeof raw})`);
}

/**
 * Uploads and outputs as raw bytes on any unstorage driver. Keys are `prefix/<128 random bits, base64url>.ext`:
 * unguessable, so a key works as a capability, and the extension carries the content type.
 *
 * @example
 * const blobs = createBlobStore(createStorage({ driver: fsDriver({ base: './.data/blobs' }) }));
 * const { key } = await blobs.put(pngBytes, 'image/png', 'uploads'); // 'uploads/3q2-7w….png'
 * const blob = await blobs.get(key); // { bytes, contentType: 'image/png' }
 */
export function createBlobStore(storage: Storage): BlobStore {
  return {
    async put(bytes, contentType, prefix): Promise<StoredBlob> {
      const { key, contentType: type } = newBlobKey(contentType, prefix);
      // A copy (not `slice`, which is a view on a Buffer), so a caller reusing its buffer cannot change what the
      // memory driver holds.
      await storageCall(`put ${key}`, () => storage.setItemRaw(key, new Uint8Array(bytes)));
      return { key, contentType: type, size: bytes.byteLength };
    },
    async putAt(key, bytes): Promise<StoredBlob> {
      const { contentType } = parseKey(key);
      await storageCall(`put ${key}`, () => storage.setItemRaw(key, new Uint8Array(bytes)));
      return { key, contentType, size: bytes.byteLength };
    },
    async get(key) {
      const { contentType } = parseKey(key);
      const bytes = toBytes(await storageCall(`get ${key}`, () => storage.getItemRaw(key)), key);
      return bytes ? { bytes, contentType } : null;
    },
    async has(key) {
      parseKey(key);
      return storageCall(`has ${key}`, () => storage.hasItem(key));
    },
    async delete(key) {
      parseKey(key);
      await storageCall(`delete ${key}`, () => storage.removeItem(key));
    },
    async list(prefix, page) {
      const { limit, cursor } = checkBlobListing(prefix, page);
      // unstorage lists a whole base at once and names keys with `:`; the page is cut here, the cursor being the
      // last key handed out (keys are plain ASCII, so string order is S3's byte order too)
      const all = await storageCall(`list ${prefix}`, () => storage.getKeys(prefix));
      const keys = all
        .map((key) => key.replace(/:/g, '/'))
        .filter((key) => key.startsWith(`${prefix}/`) && isBlobKey(key) && (cursor === undefined || key > cursor))
        .sort();
      const taken = keys.slice(0, limit);
      return keys.length > limit ? { keys: taken, cursor: taken.at(-1) as string } : { keys: taken };
    },
  };
}
