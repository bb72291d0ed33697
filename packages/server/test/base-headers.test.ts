import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('base headers on every answer', () => {
  it.each([
    ['GET', '/api/health', 200],
    ['GET', '/api/generations/list', 200],
    ['GET', '/api/generations/not-a-generation', 404],
    ['POST', '/api/generations/create', 400],
    ['GET', '/api/no-such-route', 404],
  ] as const)('%s %s answers %i with nosniff, a referrer policy and Vary: Origin', async (method, path, status) => {
    const response = await server.fetch(path, { method, ...(method === 'POST' ? { body: '{', headers: { 'content-type': 'application/json' } } : {}) });
    expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('vary')).toBe('Origin');
    await response.arrayBuffer();
  });

  it('puts them on pages outside the API too, without Vary: Origin', async () => {
    const page = await server.fetch('/');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(page.headers.get('vary') ?? '').not.toContain('Origin');
    await page.arrayBuffer();
  });

  it('answers a browser on its own origin (same-origin: no CORS headers needed, none reflected) with one Vary: Origin', async () => {
    const origin = new URL(server.url).origin;
    const response = await server.fetch('/api/generations/list', { headers: { origin } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await response.arrayBuffer();
  });
});
