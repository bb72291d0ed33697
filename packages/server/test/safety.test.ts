import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../src/log.js';
import { sampleImage } from './images.js';
import { startTestServer, upload, waitForTerminal, type TestServer } from './helpers.js';

const KEY = 'key-safety-0123456789abcdef';
const logLines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    { DOTBASE_API_KEYS: `safe:${KEY}`, DOTBASE_MAX_PROMPT_LENGTH: '50', DOTBASE_MAX_ACTIVE_GENERATIONS: '2' },
    { simulator: { timing: { startingMs: 20, processingMs: 1500, steps: 3 } }, logger: jsonLogger((line) => logLines.push(line)) },
  );
});
afterAll(async () => {
  await server?.close();
});

const create = (body: unknown, token = KEY) => server.json('POST', '/api/generations/create', { token, body });

function pathsOf(body: any): string[] {
  return body.error.details.issues.map((issue: { path: string }) => issue.path);
}

describe('bad input is a 4xx naming the field, never a 500', () => {
  it('prompt too long, unknown fields, wrong types', async () => {
    const long = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'x'.repeat(51) });
    expect(long.status).toBe(422);
    expect(pathsOf(long.body)).toEqual(['prompt']);
    const extra = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'a', colour: 'red' });
    expect(extra.status).toBe(422);
    expect(extra.body.error.message).toMatch(/colour/);
    const proto = await server.fetch('/api/generations/create', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{"action":"create","model_id":"flux-schnell","prompt":"a","settings":{"__proto__":{"polluted":true}}}',
    });
    expect(proto.status).toBe(422);
    expect(pathsOf(await proto.json())[0]).toMatch(/^settings/);
    const types = await create({ action: 'paint', model_id: 7, input_images: 'a.png' });
    expect(types.status).toBe(422);
    expect(pathsOf(types.body).sort()).toEqual(['action', 'input_images', 'model_id']);
  });

  it("a model's settings, images and masks are checked by the registry, per field", async () => {
    const settings = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'a', settings: { aspect_ratio: '7:3', num_outputs: 9 } });
    expect(settings.status).toBe(422);
    expect(pathsOf(settings.body).sort()).toEqual(['settings.aspect_ratio', 'settings.num_outputs']);
    const images = await create({ action: 'edit', model_id: 'multi-image-kontext', prompt: 'a', input_images: ['https://example.com/a.png'] });
    expect(images.status).toBe(422);
    expect(pathsOf(images.body)).toContain('input_images');
    const http = await create({ action: 'upscale', model_id: 'real-esrgan', input_images: ['http://169.254.169.254/latest/meta-data'] });
    expect(http.status).toBe(422);
    expect(pathsOf(http.body)).toEqual(['input_images.0']);
    const unknown = await create({ action: 'create', model_id: 'no-such-model', prompt: 'a' });
    expect(unknown.status).toBe(404);
  });

  it('malformed bodies: not JSON, wrong content type, too large', async () => {
    const notJson = await server.fetch('/api/generations/create', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{"action":' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.code).toBe('invalid_json');
    const form = await server.fetch('/api/generations/create', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' }, body: 'hi' });
    expect(form.status).toBe(415);
    const huge = await server.fetch('/api/generations/create', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: 'a', settings: { pad: 'x'.repeat(100_000) } }),
    });
    expect(huge.status).toBe(413);
  });

  it('unknown routes are JSON 404s, and no answer carries a stack trace', async () => {
    const missing = await server.json('GET', '/api/nothing-here', { token: KEY });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const weird = await server.fetch('/api/generations/%E0%A4%A/cancel', { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(weird.status).toBeLessThan(500);
    expect(await weird.text()).not.toMatch(/\n\s+at /);
  });
});

describe('limits', () => {
  it('caps concurrent generations per user with 429 and Retry-After, and frees the slot when one finishes', async () => {
    const first = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'one' });
    const second = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'two' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const third = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'three' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('too_many_generations');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    const canceled = await server.json('POST', `/api/generations/${first.body.id}/cancel`, { token: KEY });
    expect(canceled.body.status).toBe('canceled');
    const fourth = await create({ action: 'create', model_id: 'flux-schnell', prompt: 'four' });
    expect(fourth.status).toBe(201);
    for (const id of [second.body.id, fourth.body.id]) await server.json('POST', `/api/generations/${id}/cancel`, { token: KEY });
  });

  it('rate-limits requests per user with 429 and Retry-After', async () => {
    const limited = await startTestServer({ DOTBASE_API_KEYS: `a:${KEY},b:${KEY}x`, DOTBASE_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.json('GET', '/api/generations/list', { token: KEY })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limited.json('GET', '/api/generations/list', { token: KEY });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.json('GET', '/api/generations/list', { token: `${KEY}x` })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('logs', () => {
  it('are one JSON object per line and never carry tokens, keys or request bodies', async () => {
    const image = await upload(server, await sampleImage('png', 32, 32), { token: KEY });
    const created = await create({ action: 'upscale', model_id: 'real-esrgan', input_images: [image.body.id], settings: { scale: 2 } });
    expect(created.status).toBe(201);
    await server.json('POST', `/api/generations/${created.body.id}/cancel`, { token: KEY });
    await waitForTerminal(server, created.body.id, KEY);
    expect(logLines.length).toBeGreaterThan(5);
    for (const line of logLines) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(KEY);
      expect(line).not.toMatch(/r8_sim_/);
      expect(line).not.toContain(server.simulator!.webhookSecret);
      expect(line).not.toContain('x'.repeat(51));
    }
    expect(logLines.some((line) => line.includes('"msg":"request"') && line.includes('"user":"safe"'))).toBe(true);
  });
});
