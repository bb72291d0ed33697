import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../src/log.js';
import { sampleImage } from './images.js';
import { startTestServer, upload, waitForTerminal, type TestServer } from './helpers.js';

const KEY = 'key-caps-9f3ac27be01d54e8a6c1';
const SHOP = 'https://shop.example';

describe('embed identities minted by one backend', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(
      { DOTBASE_API_KEYS: `shop:${KEY}`, DOTBASE_CORS_ORIGINS: SHOP, DOTBASE_MAX_ACTIVE_GENERATIONS: '2' },
      { simulator: { timing: { startingMs: 20, processingMs: 60_000, steps: 2 } } },
    );
  });
  afterAll(() => server?.close());

  it("count toward the minter's active-generation cap: new identities do not multiply it", async () => {
    const tokenFor = async (userId: string) => (await server.json('POST', '/api/auth/embed-tokens', { token: KEY, body: { user_id: userId, origins: [SHOP] } })).body.token;
    const create = async (token: string) =>
      server.json('POST', '/api/generations/create', { token, headers: { origin: SHOP }, body: { action: 'create', model_id: 'flux-schnell', prompt: 'many' } });
    const first = await create(await tokenFor('u-1'));
    const second = await create(await tokenFor('u-2'));
    expect([first.status, second.status]).toEqual([201, 201]);
    const third = await create(await tokenFor('u-3'));
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: 'too_many_generations', message: expect.stringMatching(/shop and the users of its embed tokens/) });
    // the minter's own key shares the cap too
    expect((await server.json('POST', '/api/generations/create', { token: KEY, body: { action: 'create', model_id: 'flux-schnell', prompt: 'own' } })).status).toBe(429);
    // a slot frees when one ends
    const u1 = await tokenFor('u-1');
    expect((await server.json('POST', `/api/generations/${first.body.id}/cancel`, { token: u1, headers: { origin: SHOP } })).body.status).toBe('canceled');
    expect((await create(await tokenFor('u-3'))).status).toBe(201);
  });
});

describe('DOTBASE_MAX_ACTIVE_GENERATIONS_PER_MINTER', () => {
  it('raises the cap of a minter and its end users together, each user keeping their own', async () => {
    const server = await startTestServer(
      { DOTBASE_API_KEYS: `shop:${KEY}`, DOTBASE_CORS_ORIGINS: SHOP, DOTBASE_MAX_ACTIVE_GENERATIONS: '1', DOTBASE_MAX_ACTIVE_GENERATIONS_PER_MINTER: '3' },
      { simulator: { timing: { startingMs: 20, processingMs: 60_000, steps: 2 } } },
    );
    try {
      const statuses = [];
      for (const userId of ['a', 'a', 'b', 'c', 'd']) {
        const token = (await server.json('POST', '/api/auth/embed-tokens', { token: KEY, body: { user_id: userId, origins: [SHOP] } })).body.token;
        statuses.push((await server.json('POST', '/api/generations/create', { token, headers: { origin: SHOP }, body: { action: 'create', model_id: 'flux-schnell', prompt: 'x' } })).status);
      }
      expect(statuses).toEqual([201, 429, 201, 201, 429]);
    } finally {
      await server.close();
    }
  });
});

describe('a create while Replicate does not answer', () => {
  it('ends at DOTBASE_CREATE_TIMEOUT_SECONDS with a 504 JSON, and the generation does not run', async () => {
    const server = await startTestServer({ DOTBASE_CREATE_TIMEOUT_SECONDS: '1' });
    try {
      // Replicate (the simulator) holds every create for 3 s before it answers
      server.simulator!.setFaults([{ kind: 'latency', on: 'create', delayMs: 3000 }]);
      const answer = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'slow' } });
      expect(answer.status).toBe(504);
      expect(answer.body.error).toMatchObject({ code: 'upstream_timeout', message: expect.stringMatching(/within 1 s/) });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      // once the create does return, the generation is canceled, and so is its prediction
      const listed = await server.json('GET', '/api/generations/list');
      expect(listed.body.total).toBe(1);
      const final = await waitForTerminal(server, listed.body.items[0].id);
      expect(final.status).toBe('canceled');
      server.simulator!.setFaults([]);
      expect((await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'fast' } })).status).toBe(201);
    } finally {
      await server.close();
    }
  });
});

describe('the access log', () => {
  it('never carries file keys: /files/… and DELETE /api/uploads/<name> are logged redacted', async () => {
    const lines: string[] = [];
    const server = await startTestServer({}, { logger: jsonLogger((line) => lines.push(line)) });
    try {
      const image = (await upload(server, await sampleImage('png', 16, 16))).body;
      const name = image.id.replace('uploads/', '');
      expect((await server.fetch(image.url)).status).toBe(200);
      const created = await server.json('POST', '/api/generations/create', { body: { action: 'upscale', model_id: 'real-esrgan', input_images: [image.id] } });
      const done = await waitForTerminal(server, created.body.id);
      expect((await server.fetch(done.output_urls[0])).status).toBe(200);
      expect((await server.json('DELETE', `/api/uploads/${name}`)).status).toBe(204);
      await server.close();
      const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
      // the requests were logged (so the key could have appeared), with their paths redacted
      expect(requests.filter((entry) => entry.path === '/files/[redacted]')).toHaveLength(2);
      expect(requests.some((entry) => entry.method === 'DELETE' && entry.path === '/api/uploads/[redacted]')).toBe(true);
      const outputName = done.output_urls[0].split('/').at(-1).split('.')[0];
      for (const line of lines) {
        expect(line).not.toContain(name.split('.')[0]);
        expect(line).not.toContain(outputName);
      }
    } finally {
      await server.close();
    }
  });
});
