import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleImage } from './images.js';
import { startTestServer, upload, waitForTerminal, type TestServer } from './helpers.js';
import { rawRequest } from './raw-http.js';

const ALICE = 'key-alice-0123456789abcdef';
const BOB = 'key-bob-0123456789abcdef';

let server: TestServer;
let aliceGeneration: any;
let aliceUpload: any;

beforeAll(async () => {
  server = await startTestServer({ DOTBASE_API_KEYS: `alice:${ALICE},bob:${BOB}` });
  aliceUpload = (await upload(server, await sampleImage('png'), { token: ALICE })).body;
  const created = await server.json('POST', '/api/generations/create', { token: ALICE, body: { action: 'create', model_id: 'flux-schnell', prompt: "alice's" } });
  aliceGeneration = await waitForTerminal(server, created.body.id, ALICE);
});
afterAll(async () => {
  await server?.close();
});

describe("one user cannot see or touch another's generations and uploads", () => {
  it('404 on get, events, cancel and delete', async () => {
    const id = aliceGeneration.id;
    for (const [method, path] of [
      ['GET', `/api/generations/${id}`],
      ['GET', `/api/generations/${id}/events`],
      ['POST', `/api/generations/${id}/cancel`],
      ['DELETE', `/api/generations/${id}`],
    ] as const) {
      const answer = await server.json(method, path, { token: BOB });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    expect((await server.json('GET', `/api/generations/${id}`, { token: ALICE })).body.status).toBe('completed');
  });

  it("lists only the caller's own generations and uploads", async () => {
    expect((await server.json('GET', '/api/generations/list', { token: BOB })).body).toMatchObject({ items: [], total: 0 });
    expect((await server.json('GET', '/api/generations/list', { token: ALICE })).body.total).toBe(1);
    expect((await server.json('GET', '/api/uploads', { token: BOB })).body).toMatchObject({ items: [], total: 0 });
    const mine = await server.json('GET', '/api/uploads', { token: ALICE });
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([aliceUpload.id]);
  });

  it("refuses another user's upload or output as an input, like an unknown id", async () => {
    const outputKey = new URL(aliceGeneration.output_urls[0]).pathname.replace('/files/', '');
    for (const ref of [aliceUpload.id, outputKey, 'uploads/AAAAAAAAAAAAAAAAAAAAAA.png']) {
      const answer = await server.json('POST', '/api/generations/create', { token: BOB, body: { action: 'upscale', model_id: 'real-esrgan', input_images: [ref] } });
      expect(answer.status, ref).toBe(422);
      expect(answer.body.error.details.issues[0]).toEqual({ path: 'input_images.0', message: `no upload with id ${ref}` });
    }
    const asUrl = await server.json('POST', '/api/generations/create', { token: BOB, body: { action: 'upscale', model_id: 'real-esrgan', input_images: [aliceGeneration.output_urls[0]] } });
    expect(asUrl.status).toBe(422);
    expect(asUrl.body.error.details.issues[0]).toEqual({ path: 'input_images.0', message: `no upload with id ${outputKey}` });
    const mask = await server.json('POST', '/api/generations/create', {
      token: BOB,
      body: { action: 'edit', model_id: 'flux-fill-pro', prompt: 'x', input_images: ['https://example.com/a.png'], mask: aliceUpload.id },
    });
    expect(mask.body.error.details.issues[0].path).toBe('mask');
    expect((await server.json('GET', '/api/generations/list', { token: BOB })).body.total).toBe(0);
  });

  it('deleting an upload removes the file, the list entry and its use as an input, for its owner only', async () => {
    const own = (await upload(server, await sampleImage('png'), { token: ALICE })).body;
    const name = own.id.replace('uploads/', '');
    const bobs = await server.json('DELETE', `/api/uploads/${name}`, { token: BOB });
    expect(bobs.status).toBe(404);
    expect(bobs.body.error.code).toBe('not_found');
    expect((await server.fetch(own.url)).status).toBe(200);

    expect((await server.json('DELETE', `/api/uploads/${name}`, { token: ALICE })).status).toBe(204);
    expect((await server.fetch(own.url)).status).toBe(404);
    const listed = await server.json('GET', '/api/uploads', { token: ALICE });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([aliceUpload.id]);
    const reuse = await server.json('POST', '/api/generations/create', { token: ALICE, body: { action: 'upscale', model_id: 'real-esrgan', input_images: [own.id] } });
    expect(reuse.status).toBe(422);
    expect((await server.json('DELETE', `/api/uploads/${name}`, { token: ALICE })).status).toBe(404);
  });

  it('answers 404 to deleting uploads that cannot exist or are reached by a detour, and 401 to nobody', async () => {
    const aliceName = aliceUpload.id.replace('uploads/', '');
    // Raw requests: fetch would resolve `..` and `%2e%2e` before sending them.
    for (const path of [
      '/api/uploads/AAAAAAAAAAAAAAAAAAAAAA.png',
      '/api/uploads/x.svg',
      '/api/uploads/..%2F..%2Fsecret',
      '/api/uploads/%2e%2e',
      '/api/uploads/%2e%2e/%2e%2e/secret',
      '/api/uploads/../../secret',
      `/api/uploads/${'a'.repeat(300)}`,
      // bob reaching alice's upload through a path detour
      `/api/uploads/..%2Fuploads%2F${aliceName}`,
      `/api/uploads/x/../${aliceName}`,
      `/api/uploads/x/%2e%2e/${aliceName}`,
    ]) {
      const answer = await rawRequest(server.url, 'DELETE', path, { authorization: `Bearer ${BOB}` });
      expect(answer.status, path).toBe(404);
      expect(answer.json?.error?.code, path).toBe('not_found');
    }
    expect((await server.fetch(aliceUpload.url)).status).toBe(200);
    expect((await server.json('DELETE', `/api/uploads/${aliceUpload.id.replace('uploads/', '')}`)).status).toBe(401);
    expect((await server.fetch(aliceUpload.url)).status).toBe(200);
  });

  it('deleting a generation removes it and its files, for its owner', async () => {
    const created = await server.json('POST', '/api/generations/create', { token: ALICE, body: { action: 'create', model_id: 'flux-schnell', prompt: 'to delete' } });
    const done = await waitForTerminal(server, created.body.id, ALICE);
    expect((await server.fetch(done.output_urls[0])).status).toBe(200);
    expect((await server.json('DELETE', `/api/generations/${done.id}`, { token: ALICE })).status).toBe(204);
    expect((await server.json('GET', `/api/generations/${done.id}`, { token: ALICE })).status).toBe(404);
    expect((await server.fetch(done.output_urls[0])).status).toBe(404);
    expect((await server.json('DELETE', `/api/generations/${done.id}`, { token: ALICE })).status).toBe(404);
  });
});
