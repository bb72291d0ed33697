import type { Storage } from 'unstorage';
import { DotbaseError } from '../errors.js';
import { newBlobKey, parseBlobKey as parseKey } from './blob-keys.js';
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
  };
}
