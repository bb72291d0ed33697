import { describe, expect, it } from 'vitest';
import { isDotbaseError } from '../errors.js';
import { outputBlobKey, parseBlobKey } from './blob-keys.js';
import type { BlobStore } from './types.js';

const TYPES = [
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/webp', 'webp'],
  ['image/gif', 'gif'],
] as const;

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/**
 * The behaviour every `BlobStore` must show. Each test gets a fresh, empty store from `factory`.
 *
 * @example
 * describeBlobStoreContract('memory', () => createBlobStore(createStorage()));
 */
export function describeBlobStoreContract(name: string, factory: () => Promise<BlobStore> | BlobStore): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('round-trips bytes and content type for every supported type', async () => {
      const blobs = await factory();
      for (const [contentType, extension] of TYPES) {
        const bytes = randomBytes(1000);
        const stored = await blobs.put(bytes, contentType, 'uploads');
        expect(stored).toEqual({ key: expect.stringMatching(new RegExp(`^uploads/[A-Za-z0-9_-]{22}\\.${extension}$`)), contentType, size: 1000 });
        const got = await blobs.get(stored.key);
        expect(got?.contentType).toBe(contentType);
        expect(got?.bytes).toBeInstanceOf(Uint8Array);
        expect(Array.from(got?.bytes ?? [])).toEqual(Array.from(bytes));
      }
    });

    it('round-trips a large blob byte for byte', async () => {
      const blobs = await factory();
      const bytes = randomBytes(3 * 1024 * 1024 + 7);
      const { key, size } = await blobs.put(bytes, 'image/png', 'outputs');
      expect(size).toBe(bytes.byteLength);
      const got = await blobs.get(key);
      expect(got?.bytes.byteLength).toBe(bytes.byteLength);
      expect(sameBytes(got?.bytes ?? new Uint8Array(), bytes)).toBe(true);
    });

    it('normalises content-type parameters and case, and refuses unknown types', async () => {
      const blobs = await factory();
      expect((await blobs.put(randomBytes(4), 'Image/JPEG; charset=binary', 'uploads')).key).toMatch(/\.jpg$/);
      for (const contentType of ['image/svg+xml', 'text/html', 'application/octet-stream', '']) {
        expect(isDotbaseError(await rejection(blobs.put(randomBytes(4), contentType, 'uploads')), 'invalid_input')).toBe(true);
      }
    });

    it('stores under a given key with the type its extension names, overwrites on a second put, and refuses bad keys', async () => {
      const blobs = await factory();
      const { key } = await outputBlobKey('generation-1', 0, 'https://replicate.delivery/x/out-0.webp', 'image/webp');
      expect(key).toMatch(/^outputs\/[A-Za-z0-9_-]{22}\.webp$/);
      expect(await blobs.putAt(key, new Uint8Array([1, 2]))).toEqual({ key, contentType: 'image/webp', size: 2 });
      await blobs.putAt(key, new Uint8Array([3]));
      const got = await blobs.get(key);
      expect(got?.contentType).toBe('image/webp');
      expect(Array.from(got?.bytes ?? [])).toEqual([3]);
      for (const bad of ['../outside.png', 'outputs/short.png', 'outputs/aaaaaaaaaaaaaaaaaaaaaa.svg', '/outputs/aaaaaaaaaaaaaaaaaaaaaa.png']) {
        expect(isDotbaseError(await rejection(blobs.putAt(bad, new Uint8Array([1]))), 'invalid_input'), bad).toBe(true);
      }
    });

    it('derives one key per output: the same for every copy of it, another for any other output', async () => {
      const url = 'https://replicate.delivery/x/out-0.png';
      const key = (await outputBlobKey('generation-1', 0, url, 'image/png')).key;
      expect((await outputBlobKey('generation-1', 0, url, 'image/png')).key).toBe(key);
      const others = await Promise.all([
        outputBlobKey('generation-2', 0, url, 'image/png'),
        outputBlobKey('generation-1', 1, url, 'image/png'),
        outputBlobKey('generation-1', 0, 'https://replicate.delivery/y/out-0.png', 'image/png'),
      ]);
      expect(new Set([key, ...others.map((other) => other.key)]).size).toBe(4);
      expect(parseBlobKey(key)).toEqual({ contentType: 'image/png' });
    });

    it('gives every blob a distinct unguessable key under its prefix', async () => {
      const blobs = await factory();
      const keys = await Promise.all(Array.from({ length: 100 }, () => blobs.put(randomBytes(8), 'image/webp', 'outputs').then((b) => b.key)));
      expect(new Set(keys).size).toBe(100);
      const names = keys.map((key) => key.slice('outputs/'.length, -'.webp'.length));
      // 22 base64url characters carry 132 bits; 16 bytes of them are random.
      for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(new Set(names.map((n) => n.slice(0, 4))).size).toBeGreaterThan(90);
    });

    it('keeps stored bytes apart from the caller’s buffers', async () => {
      const blobs = await factory();
      const bytes = new Uint8Array([1, 2, 3, 4]);
      const { key } = await blobs.put(bytes, 'image/png', 'uploads');
      bytes[0] = 99;
      const first = await blobs.get(key);
      if (first) first.bytes[1] = 99;
      expect(Array.from((await blobs.get(key))?.bytes ?? [])).toEqual([1, 2, 3, 4]);

      // Node's Buffer#slice is a view, not a copy: a classic way to keep aliasing the caller's memory.
      if (typeof Buffer !== 'undefined') {
        const buffer = Buffer.from([5, 6, 7]);
        const fromBuffer = await blobs.put(buffer, 'image/png', 'uploads');
        buffer[0] = 99;
        expect(Array.from((await blobs.get(fromBuffer.key))?.bytes ?? [])).toEqual([5, 6, 7]);
      }
    });

    it('answers has/get for missing keys and deletes', async () => {
      const blobs = await factory();
      const { key } = await blobs.put(randomBytes(16), 'image/gif', 'uploads');
      const missing = 'uploads/AAAAAAAAAAAAAAAAAAAAAA.png';
      expect(await blobs.has(key)).toBe(true);
      expect(await blobs.has(missing)).toBe(false);
      expect(await blobs.get(missing)).toBeNull();
      await blobs.delete(key);
      expect(await blobs.has(key)).toBe(false);
      expect(await blobs.get(key)).toBeNull();
      await blobs.delete(key);
      await blobs.delete(missing);
    });

    it('lists the keys below a prefix page by page, each key once, beyond one page', async () => {
      const blobs = await factory();
      expect(await blobs.list('outputs')).toEqual({ keys: [] });
      const outputs = await Promise.all(Array.from({ length: 8 }, (_, i) => blobs.put(randomBytes(8), TYPES[i % TYPES.length]![0], 'outputs').then((b) => b.key)));
      const nested = (await blobs.put(randomBytes(8), 'image/png', 'outputs/batch')).key;
      const uploads = [(await blobs.put(randomBytes(8), 'image/png', 'uploads')).key];
      const below = [...outputs, nested].sort();

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await blobs.list('outputs', { limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.keys.length).toBeLessThanOrEqual(3);
        pages.push(page.keys);
        cursor = page.cursor;
        expect(pages.length).toBeLessThan(20);
      } while (cursor);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.flat()).toEqual(below);
      expect(await blobs.list('outputs')).toEqual({ keys: below });
      expect(await blobs.list('uploads', { limit: 1 })).toEqual({ keys: uploads });
      expect((await blobs.list('outputs/batch')).keys).toEqual([nested]);
      // a deleted key is gone from the listing
      await blobs.delete(outputs[0]!);
      expect((await blobs.list('outputs')).keys).toEqual(below.filter((key) => key !== outputs[0]));

      for (const prefix of ['', '..', 'outputs/', '/outputs', 'Up']) {
        expect(isDotbaseError(await rejection(blobs.list(prefix)), 'invalid_input'), prefix).toBe(true);
      }
      for (const limit of [0, 1001, 1.5, -1]) {
        expect(isDotbaseError(await rejection(blobs.list('outputs', { limit })), 'invalid_input'), String(limit)).toBe(true);
      }
    });

    it('refuses path traversal and odd keys on every method', async () => {
      const blobs = await factory();
      const bad = [
        '../secret.png',
        'uploads/../../etc/passwd',
        'uploads/../AAAAAAAAAAAAAAAAAAAAAA.png',
        '/uploads/AAAAAAAAAAAAAAAAAAAAAA.png',
        'uploads\\AAAAAAAAAAAAAAAAAAAAAA.png',
        'uploads/AAAAAAAAAAAAAAAAAAAAAA.png?x=1',
        'uploads:AAAAAAAAAAAAAAAAAAAAAA.png',
        'uploads/AAAAAAAAAAAAAAAAAAAAAA.exe',
        'uploads/.AAAAAAAAAAAAAAAAAAAAA.png',
        'AAAAAAAAAAAAAAAAAAAAAA.png',
        '',
      ];
      for (const key of bad) {
        for (const call of [() => blobs.get(key), () => blobs.has(key), () => blobs.delete(key)]) {
          expect(isDotbaseError(await rejection(call()), 'invalid_input'), key).toBe(true);
        }
      }
      for (const prefix of ['', '..', 'uploads/..', '/abs', 'Up', 'a:b', 'a?b']) {
        expect(isDotbaseError(await rejection(blobs.put(randomBytes(4), 'image/png', prefix)), 'invalid_input'), prefix).toBe(true);
      }
    });
  });
}
