import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelBombPng, sampleImage, SVG } from './images.js';
import { startTestServer, upload, type TestServer } from './helpers.js';
import { rawRequest } from './raw-http.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ DOTBASE_MAX_UPLOAD_BYTES: String(200 * 1024), DOTBASE_MAX_UPLOAD_PIXELS: String(4_000_000) });
});
afterAll(async () => {
  await server?.close();
});

describe('POST /api/uploads', () => {
  it('stores a good image under an unguessable id and serves it back byte for byte', async () => {
    const bytes = await sampleImage('webp', 120, 80);
    const answer = await upload(server, bytes, { filename: 'photo.png', type: 'image/png' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ content_type: 'image/webp', width: 120, height: 80, size: bytes.byteLength });
    expect(answer.body.id).toMatch(/^uploads\/[A-Za-z0-9_-]{22}\.webp$/);
    expect(answer.body.url).toBe(`${server.url}/files/${answer.body.id}`);
    const served = await server.fetch(answer.body.url);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    const second = await upload(server, bytes);
    expect(second.body.id).not.toBe(answer.body.id);
  });

  it('decides the type by magic bytes: a PNG named .svg is a PNG, an SVG named .png is refused', async () => {
    expect((await upload(server, await sampleImage('png', 10, 10), { filename: 'x.svg', type: 'image/svg+xml' })).body.content_type).toBe('image/png');
    const svg = await upload(server, SVG, { filename: 'x.png', type: 'image/png' });
    expect(svg.status).toBe(415);
    expect(svg.body.error).toMatchObject({ code: 'unsupported_media_type', details: { field: 'file' } });
    expect((await upload(server, new TextEncoder().encode('plain text'))).status).toBe(415);
  });

  it('refuses files over the size limit', async () => {
    const big = new Uint8Array(await sharp({ create: { width: 400, height: 400, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer());
    expect(big.byteLength).toBeGreaterThan(200 * 1024);
    const answer = await upload(server, big);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('refuses a decompression bomb', async () => {
    const answer = await upload(server, pixelBombPng(3000, 3000));
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'image_too_large', details: { field: 'file' } });
  });

  it('needs multipart with a file field', async () => {
    const form = new FormData();
    form.append('image', new Blob([await sampleImage('png', 8, 8) as Uint8Array<ArrayBuffer>]), 'x.png');
    const missing = await server.fetch('/api/uploads', { method: 'POST', body: form });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as any).error.details.field).toBe('file');
    expect((await server.json('POST', '/api/uploads', { body: { file: 'x' } })).status).toBe(415);
  });
});

describe('GET /files/…', () => {
  // Raw requests: fetch would turn `..` and `%2e%2e` into a plain path before sending, and the server never see them.
  it('answers 404 for unknown and malformed keys, never a path outside storage, whatever the path carries', async () => {
    const real = (await upload(server, await sampleImage('png', 12, 12))).body;
    const name = real.id.replace('uploads/', '');
    expect((await rawRequest(server.url, 'GET', `/files/${real.id}`)).status).toBe(200);
    for (const path of [
      '/files/uploads/AAAAAAAAAAAAAAAAAAAAAA.png',
      '/files/uploads/../secret',
      '/files/../secret',
      '/files/../../secret',
      '/files/%2e%2e/%2e%2e/secret',
      '/files/uploads/%2e%2e/%2e%2e/secret',
      '/files/uploads%2F..%2F..%2Fsecret',
      '/files/..%2fsecret',
      '/files/uploads/x.svg',
      '/files/',
      '/files/%ZZ',
      '/files/uploads%2FAAAAAAAAAAAAAAAAAAAAAA.png',
      `/files/uploads/${name}/..%2F..%2F..%2Fsecret`,
      `/files/uploads/${name}%00`,
    ]) {
      const answer = await rawRequest(server.url, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.json?.error?.code, path).toBe('not_found');
    }
  });
});
