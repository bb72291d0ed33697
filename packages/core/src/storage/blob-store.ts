import type { Storage } from 'unstorage';
import { DotbaseError } from '../errors.js';
import { storageCall } from './storage-error.js';
import type { BlobStore, StoredBlob } from './types.js';

/** The image types dotbase stores; the extension in the key is the only record of the type (no sidecar). */
const EXTENSION_BY_TYPE: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EXTENSION_BY_TYPE).map(([type, extension]) => [extension, type]),
);

const RANDOM_BYTES = 16;
const PREFIX = /^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/;
/** `prefix/…/name.ext`: nothing but these characters, so no `..`, no absolute paths, no `?`, no `:`. */
const KEY = /^((?:[a-z0-9][a-z0-9_-]*\/)+)([A-Za-z0-9_-]{16,128})\.(png|jpg|webp|gif)$/;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function extensionFor(contentType: string): string {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const extension = EXTENSION_BY_TYPE[type];
  if (!extension) {
    throw new DotbaseError('invalid_input', `unsupported image type ${JSON.stringify(contentType)}; expected one of ${Object.keys(EXTENSION_BY_TYPE).join(', ')}`);
  }
  return extension;
}

function parseKey(key: string): { contentType: string } {
  const match = typeof key === 'string' ? KEY.exec(key) : null;
  if (!match) throw new DotbaseError('invalid_input', `invalid blob key ${JSON.stringify(key)}`);
  return { contentType: TYPE_BY_EXTENSION[match[3] as string] as string };
}

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
      const extension = extensionFor(contentType);
      if (!PREFIX.test(prefix)) throw new DotbaseError('invalid_input', `invalid blob prefix ${JSON.stringify(prefix)}`);
      const key = `${prefix}/${base64url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)))}.${extension}`;
      // A copy (not `slice`, which is a view on a Buffer), so a caller reusing its buffer cannot change what the
      // memory driver holds.
      await storageCall(`put ${key}`, () => storage.setItemRaw(key, new Uint8Array(bytes)));
      return { key, contentType: TYPE_BY_EXTENSION[extension] as string, size: bytes.byteLength };
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
