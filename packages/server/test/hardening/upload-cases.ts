import { pixelBombPng, SVG } from '../images.js';
import type { Family, Mutation } from './family.js';
import { FUZZ_LIMITS, KEYS, type Fixture } from './fixture.js';
import { bearer, multipartBody, type FuzzDraft, type MultipartPart } from './fuzz-request.js';
import { encodeSegment, hugeString, ODD_RAW_SEGMENTS, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

const PATH = '/api/uploads';
/** Must match the server's allowance for multipart framing around the file (routes/uploads.ts). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function uploadDraft(rng: Rng, parts: MultipartPart[], extra: Partial<FuzzDraft> = {}): FuzzDraft {
  const boundary = `----fuzz${rng.word(16)}`;
  return {
    method: 'POST',
    path: PATH,
    headers: { ...bearer(KEYS.user), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: multipartBody(parts, boundary),
    outcome: 'reject',
    ...extra,
  };
}

const file = (data: Uint8Array | string, filename = 'image.png', type = 'image/png'): MultipartPart => ({ name: 'file', filename, type, data });

/** A PNG header announcing `width × height`, for the zero- and huge-dimension cases. */
const pngWithSize = (width: number, height: number) => pixelBombPng(width, height);

const mutations: Mutation[] = [
  {
    name: 'wrong-magic',
    make: (rng) => uploadDraft(rng, [file(new Uint8Array([0x58, 0x58, ...rng.bytes(rng.int(0, 2000))]))], { statuses: [415] }),
  },
  { name: 'svg', make: (rng) => uploadDraft(rng, [file(SVG, rng.pick(['a.svg', 'a.png']), rng.pick(['image/svg+xml', 'image/png']))], { statuses: [415] }) },
  {
    name: 'html-as-image',
    make: (rng) => uploadDraft(rng, [file('<!doctype html><script>alert(document.cookie)</script>', 'x.png', 'image/png')], { statuses: [415] }),
  },
  {
    // Cut inside the signature or the header: nothing says how big the image is.
    name: 'truncated-header',
    make: (rng, fixture) => uploadDraft(rng, [file(fixture.png.subarray(0, rng.int(1, 32)))]),
  },
  {
    // A whole header but the pixel data cut short: the image cannot be decoded.
    name: 'truncated-data',
    make: (rng, fixture) => uploadDraft(rng, [file(fixture.png.subarray(0, rng.int(40, fixture.png.byteLength - 13)))]),
  },
  {
    name: 'magic-then-garbage',
    make(rng) {
      const magic = rng.pick([
        [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
        [0xff, 0xd8, 0xff],
        [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
        [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
      ]);
      return uploadDraft(rng, [file(new Uint8Array([...magic, ...rng.bytes(rng.int(0, 500))]))]);
    },
  },
  { name: 'empty-file', make: (rng) => uploadDraft(rng, [file(new Uint8Array(0))], { statuses: [422] }) },
  {
    name: 'pixel-bomb',
    make(rng) {
      const width = rng.int(2_100, 40_000);
      return uploadDraft(rng, [file(pngWithSize(width, Math.ceil(FUZZ_LIMITS.maxUploadPixels / width) + rng.int(1, 1000)))], { statuses: [422] });
    },
  },
  { name: 'zero-dimension', make: (rng) => uploadDraft(rng, [file(pngWithSize(rng.pick([0, 1]), 0))], { statuses: [422] }) },
  {
    name: 'file-over-limit',
    make: (rng) => uploadDraft(rng, [file(new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...rng.bytes(FUZZ_LIMITS.maxUploadBytes + rng.int(1, 32_000))]))], { statuses: [413] }),
  },
  {
    name: 'body-over-limit',
    make: (rng) =>
      uploadDraft(rng, [file(rng.bytes(FUZZ_LIMITS.maxUploadBytes + MULTIPART_OVERHEAD_BYTES + rng.int(1, 200_000)))], { statuses: [413], chunked: rng.chance(0.4) }),
  },
  {
    name: 'missing-file-field',
    make: (rng, fixture: Fixture) => uploadDraft(rng, [{ ...file(fixture.png), name: rng.pick(['image', 'File', 'files', 'file[]', '']) }], { statuses: [422] }),
  },
  { name: 'file-as-text', make: (rng) => uploadDraft(rng, [{ name: 'file', data: 'uploads/abc.png' }], { statuses: [422] }) },
  { name: 'no-parts', make: (rng) => uploadDraft(rng, [], { statuses: [400, 422] }) },
  {
    name: 'first-file-bad',
    make: (rng, fixture) => uploadDraft(rng, [file(SVG), file(fixture.png)], { statuses: [415] }),
  },
  {
    name: 'not-multipart',
    make: (rng, fixture) => ({
      method: 'POST',
      path: PATH,
      headers: { ...bearer(KEYS.user), ...(rng.chance(0.8) ? { 'content-type': rng.pick(['image/png', 'application/octet-stream', 'application/json', 'text/plain']) } : {}) },
      body: rng.chance(0.5) ? fixture.png : '{"file":"x"}',
      outcome: 'reject',
      statuses: [415],
    }),
  },
  {
    name: 'broken-multipart',
    make(rng, fixture) {
      const boundary = rng.word(12);
      const good = multipartBody([file(fixture.png)], boundary);
      const body = rng.pick([
        good.subarray(0, rng.int(10, good.byteLength - 10)),
        rng.bytes(rng.int(0, 400)),
        new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nxx`),
      ]);
      const type = rng.pick([`multipart/form-data; boundary=${boundary}`, 'multipart/form-data', 'multipart/form-data; boundary=', `multipart/form-data; boundary=${boundary}x`]);
      return { method: 'POST', path: PATH, headers: { ...bearer(KEYS.user), 'content-type': type }, body, outcome: 'reject' };
    },
  },
  {
    // The file name is never used for anything: an odd one must not matter.
    name: 'odd-filename',
    make: (rng, fixture) => uploadDraft(rng, [file(fixture.png, rng.pick(['../../etc/passwd', 'a"b.png', `${oddString(rng).replace(/[\r\n"]/g, '')}.png`, 'x.exe', '']), 'text/html')], { outcome: 'survive' }),
  },
  {
    name: 'delete-odd-name',
    make: (rng) => ({
      method: 'DELETE',
      path: `/api/uploads/${rng.pick([
        () => encodeSegment(oddString(rng) || ' '),
        () => rng.pick(ODD_RAW_SEGMENTS),
        () => `${rng.word(22)}.png`,
        () => `${rng.word(22)}.svg`,
        () => `..%2F..%2F${rng.word(8)}`,
        () => encodeSegment(hugeString(rng, rng.int(300, 600))),
      ])()}`,
      headers: bearer(KEYS.user),
      outcome: 'reject',
    }),
  },
  {
    // Another user's upload is answered exactly like a missing one, and stays (checked after the run).
    name: 'delete-other-users-upload',
    make: (_rng, fixture) => ({ method: 'DELETE', path: `/api/uploads/${fixture.victim.upload.replace('uploads/', '')}`, headers: bearer(KEYS.user), outcome: 'reject', statuses: [404] }),
  },
];

export const uploadFamily: Family = { name: 'upload', weight: 12, mutations };
