import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleImage } from './images.js';
import { startTestServer, upload, type TestServer } from './helpers.js';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef01';
const CAROL = 'carol-key-0123456789abcdef';

describe('per-user upload quota', () => {
  let server: TestServer;
  let big: Uint8Array;
  let small: Uint8Array;
  let maxBytes: number;

  beforeAll(async () => {
    big = await sampleImage('png', 512, 512);
    small = await sampleImage('png', 16, 16);
    // room for two big uploads and a little more, never three; three uploads of any size
    maxBytes = Math.floor(big.byteLength * 2.5);
    server = await startTestServer({
      DOTBASE_API_KEYS: `alice:${ALICE},bob:${BOB},carol:${CAROL}`,
      DOTBASE_UPLOAD_QUOTA_BYTES: String(maxBytes),
      DOTBASE_UPLOAD_QUOTA_COUNT: '3',
    });
  });
  afterAll(() => server?.close());

  it('refuses an upload that would pass the byte quota with a clear 403, and shows the usage in GET /api/uploads', async () => {
    const first = await upload(server, big, { token: ALICE });
    expect(first.status).toBe(201);
    expect((await upload(server, big, { token: ALICE })).status).toBe(201);
    const third = await upload(server, big, { token: ALICE });
    expect(third.status).toBe(403);
    expect(third.body.error.code).toBe('upload_quota_exceeded');
    expect(third.body.error.message).toMatch(/past \d+ bytes/);
    expect(third.body.error.details).toEqual({ used_bytes: big.byteLength * 2, used_count: 2, max_bytes: maxBytes, max_count: 3 });
    const list = await server.json('GET', '/api/uploads', { token: ALICE });
    expect(list.body.total).toBe(2);
    expect(list.body.usage).toEqual({ bytes: big.byteLength * 2, count: 2, max_bytes: maxBytes, max_count: 3 });

    // deleting an upload makes room again
    const name = first.body.id.replace('uploads/', '');
    expect((await server.json('DELETE', `/api/uploads/${name}`, { token: ALICE })).status).toBe(204);
    expect((await upload(server, big, { token: ALICE })).status).toBe(201);
  });

  it('refuses the upload past the count quota, for that user only', async () => {
    for (let i = 0; i < 3; i += 1) expect((await upload(server, small, { token: BOB })).status).toBe(201);
    const fourth = await upload(server, small, { token: BOB });
    expect(fourth.status).toBe(403);
    expect(fourth.body.error.message).toMatch(/already keep 3 uploads/);
    expect((await server.json('GET', '/api/uploads', { token: BOB })).body.usage).toMatchObject({ count: 3, max_count: 3 });
    expect((await upload(server, small, { token: CAROL })).status).toBe(201);
  });

  it('holds under concurrent uploads: of five at once, only the quota is stored', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => upload(server, small, { token: CAROL })));
    // carol already has one from the previous test
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(2);
    expect(answers.filter((answer) => answer.status === 403)).toHaveLength(3);
    expect((await server.json('GET', '/api/uploads', { token: CAROL })).body.total).toBe(3);
  });
});
