import { DotbaseError } from '../errors.js';

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

/**
 * A new key for a blob: `prefix/<128 random bits, base64url>.ext`, unguessable (a key works as a capability), the
 * extension carrying the content type. Every `BlobStore` names blobs this way, so keys move between them.
 */
export function newBlobKey(contentType: string, prefix: string): { key: string; contentType: string } {
  const extension = extensionFor(contentType);
  if (!PREFIX.test(prefix)) throw new DotbaseError('invalid_input', `invalid blob prefix ${JSON.stringify(prefix)}`);
  const key = `${prefix}/${base64url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)))}.${extension}`;
  return { key, contentType: TYPE_BY_EXTENSION[extension] as string };
}

interface NodeHashes {
  createHash(algorithm: 'sha256'): { update(text: string, encoding: 'utf8'): { digest(): Uint8Array } };
}
/**
 * Node's hashes where the runtime has them (Node, Bun; `process.getBuiltinModule` needs no import, so this module
 * still loads on Workers and Deno): synchronous, where WebCrypto's `digest` is a job on a worker thread and a wake-up
 * of this one — on the project's 2-core VM ~2 % of the server's busy time per generation, for one short hash.
 */
const nodeHashes = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:crypto') as NodeHashes | undefined;

/** SHA-256 of `text` as UTF-8; the same bytes whichever implementation answers. */
export async function sha256(text: string): Promise<Uint8Array> {
  if (nodeHashes) return nodeHashes.createHash('sha256').update(text, 'utf8').digest();
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * The key of a generation's output number `index`: `outputs/<name>.ext`, the name a hash of the generation id, the
 * index and the URL the output came from. Every instance copying the same output (a retry, a webhook racing a poll
 * on another instance) writes the same object instead of a new one, so a lost race leaves nothing behind. Still
 * unguessable: the URL is one Replicate made for dotbase's token and nobody else sees. Shaped like `newBlobKey`'s
 * keys (22 base64url characters), so every store, route and older record treats both alike.
 */
export async function outputBlobKey(generationId: string, index: number, sourceUrl: string, contentType: string): Promise<{ key: string; contentType: string }> {
  const extension = extensionFor(contentType);
  const digest = await sha256(`dotbase output\0${generationId}\0${index}\0${sourceUrl}`);
  return { key: `outputs/${base64url(digest).slice(0, 22)}.${extension}`, contentType: TYPE_BY_EXTENSION[extension] as string };
}

/** The content type a valid key stands for; `invalid_input` for anything else (traversal, odd characters). */
export function parseBlobKey(key: string): { contentType: string } {
  const match = typeof key === 'string' ? KEY.exec(key) : null;
  if (!match) throw new DotbaseError('invalid_input', `invalid blob key ${JSON.stringify(key)}`);
  return { contentType: TYPE_BY_EXTENSION[match[3] as string] as string };
}

/** Whether `key` is a valid blob key (what a listing may return: anything else in the same place is skipped). */
export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

/** `limit` and `cursor` of a listing, checked; `invalid_input` for a bad prefix, limit or cursor. */
export function checkBlobListing(prefix: string, page: { limit?: number; cursor?: string } = {}): { limit: number; cursor?: string } {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) throw new DotbaseError('invalid_input', `invalid blob prefix ${JSON.stringify(prefix)}`);
  const limit = page.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DotbaseError('invalid_input', `invalid listing limit ${JSON.stringify(limit)}: an integer from 1 to 1000`);
  if (page.cursor !== undefined && (typeof page.cursor !== 'string' || page.cursor === '' || page.cursor.length > 4096)) {
    throw new DotbaseError('invalid_input', 'invalid listing cursor: pass back the cursor of the previous page');
  }
  return { limit, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}) };
}
