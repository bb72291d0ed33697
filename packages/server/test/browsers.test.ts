import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleImage } from './images.js';
import { startTestServer, type TestServer } from './helpers.js';
import { rawRequest } from './raw-http.js';

// Every request here is written by hand on a socket: fetch sets Host itself and never sends Sec-Fetch-* headers.

const CREATE = JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: 'csrf' });
const json = { 'content-type': 'application/json' };

describe('a server without authentication on loopback (DNS rebinding)', () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startTestServer();
    port = new URL(server.url).port;
  });
  afterAll(() => server?.close());

  it('answers loopback host names: 127.0.0.1, localhost, [::1], *.localhost', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, `app.localhost:${port}`, 'localhost']) {
      const answer = await rawRequest(server.url, 'GET', '/api/auth/me', { host });
      expect(answer.status, host).toBe(200);
      expect(answer.json.user.id).toBe('local');
    }
  });

  it('refuses any other Host with 421 JSON before a route runs: pages, the admin API, files', async () => {
    const { body } = await server.json('GET', '/api/admin/tokens');
    const tokenId = body.items[0].id;
    for (const host of ['attacker.example', `attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `2130706433:${port}`, `[::ffff:7f00:1]:${port}`]) {
      for (const [method, path, payload] of [
        ['GET', '/api/admin/tokens', undefined],
        ['PATCH', `/api/admin/tokens/${tokenId}`, '{"is_active":false}'],
        ['GET', '/', undefined],
        ['GET', '/api/generations/list', undefined],
      ] as const) {
        const answer = await rawRequest(server.url, method, path, { host, ...(payload ? json : {}) }, payload);
        expect(answer.status, `${host} ${method} ${path}`).toBe(421);
        expect(answer.json.error).toMatchObject({ code: 'misdirected_request', message: expect.stringMatching(/loopback/) });
      }
    }
    // the PATCH did not go through
    expect((await server.json('GET', '/api/admin/tokens')).body.items[0].is_active).toBe(true);
    expect((await rawRequest(server.url, 'GET', '/api/health', { host: '' })).status).toBe(400);
  });

  it('never reflects an origin that is not configured, not even its own', async () => {
    for (const origin of ['http://attacker.example', `http://127.0.0.1:${port}`, `http://localhost:${port}`, 'null']) {
      const answer = await rawRequest(server.url, 'GET', '/api/generations/list', { origin });
      expect(answer.status, origin).toBe(200);
      expect(answer.headers['access-control-allow-origin'], origin).toBeUndefined();
      const preflight = await rawRequest(server.url, 'OPTIONS', '/api/generations/create', { origin, 'access-control-request-method': 'POST' });
      expect(preflight.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  it('refuses state changes from other sites (a form posted to 127.0.0.1), accepts its own pages and non-browsers', async () => {
    const id = (await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'mine' } })).body.id;
    for (const [method, path, headers, payload] of [
      ['POST', '/api/generations/create', { ...json, origin: 'http://evil.example' }, CREATE],
      ['POST', '/api/generations/create', { 'content-type': 'text/plain', origin: 'null' }, CREATE],
      ['POST', `/api/generations/${id}/cancel`, { origin: 'http://evil.example' }, undefined],
      ['DELETE', `/api/generations/${id}`, { 'sec-fetch-site': 'cross-site' }, undefined],
      ['POST', '/api/uploads', { 'content-type': 'multipart/form-data; boundary=x', 'sec-fetch-site': 'same-site' }, '--x--\r\n'],
      ['POST', `/api/generations/${id}/cancel`, { origin: `http://localhost:${port}` }, undefined], // another origin than the Host's
    ] as const) {
      const answer = await rawRequest(server.url, method, path, headers, payload);
      expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(answer.json.error.code).toBe('cross_site_request');
    }
    expect((await server.json('GET', `/api/generations/${id}`)).body.status).not.toBe('canceled');
    const own = await rawRequest(server.url, 'POST', '/api/generations/create', { ...json, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }, CREATE);
    expect(own.status).toBe(201);
    const viaLocalhost = await rawRequest(server.url, 'POST', '/api/generations/create', { ...json, host: `localhost:${port}`, origin: `http://localhost:${port}` }, CREATE);
    expect(viaLocalhost.status).toBe(201);
    const curl = await rawRequest(server.url, 'POST', '/api/generations/create', json, CREATE);
    expect(curl.status).toBe(201);
  });
});

describe('a server with Telegram sessions and API keys', () => {
  const BOT = '123456:TEST-bot-token-for-dotbase-browsers';
  const KEY = 'key-browsers-9f3ac27be01d54e8';
  const SHOP = 'https://shop.example';
  let server: TestServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer({ DOTBASE_API_KEYS: `backend:${KEY}`, TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'alice', DOTBASE_CORS_ORIGINS: SHOP });
    const fields: Record<string, string | number> = { id: 42, username: 'alice', auth_date: Math.floor(Date.now() / 1000) };
    const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
    const hash = createHmac('sha256', createHash('sha256').update(BOT).digest()).update(check).digest('hex');
    const signIn = await server.json('POST', '/api/auth/telegram', { body: { ...fields, hash } });
    cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(() => server?.close());

  it('answers any Host (a rebound page has no credentials) but reflects only configured origins', async () => {
    const answer = await rawRequest(server.url, 'GET', '/api/auth/me', { host: 'dotbase.example', authorization: `Bearer ${KEY}`, origin: 'http://dotbase.example' });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const shop = await rawRequest(server.url, 'GET', '/api/health', { origin: SHOP });
    expect(shop.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('refuses cookie-authenticated state changes from other origins: JSON, multipart, bodyless POST, DELETE, logout', async () => {
    const id = (await server.json('POST', '/api/generations/create', { headers: { cookie }, body: { action: 'create', model_id: 'flux-schnell', prompt: 'x' } })).body.id;
    const form = new FormData();
    form.append('file', new Blob([(await sampleImage('png', 8, 8)) as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'a.png');
    const encoded = new Response(form);
    const multipartType = encoded.headers.get('content-type')!;
    const multipart = Buffer.from(await encoded.arrayBuffer());
    for (const origin of ['https://evil.example', 'null', `${SHOP}.evil.example`]) {
      for (const [method, path, headers, payload] of [
        ['POST', '/api/generations/create', json, CREATE],
        ['POST', '/api/uploads', { 'content-type': multipartType }, multipart],
        ['POST', `/api/generations/${id}/cancel`, {}, undefined],
        ['DELETE', `/api/generations/${id}`, {}, undefined],
        ['POST', '/api/auth/logout', {}, undefined],
      ] as const) {
        const answer = await rawRequest(server.url, method, path, { cookie, origin, ...headers }, payload);
        expect(answer.status, `${origin} ${method} ${path}`).toBe(403);
        expect(answer.json.error.code).toBe('cross_site_request');
      }
    }
    expect((await server.json('GET', `/api/generations/${id}`, { headers: { cookie } })).status).toBe(200);
    // its own origin (by Host) and a listed one may
    const own = await rawRequest(server.url, 'POST', '/api/uploads', { cookie, origin: server.url, 'content-type': multipartType }, multipart);
    expect(own.status, own.body).toBe(201);
    const listed = await rawRequest(server.url, 'POST', `/api/generations/${id}/cancel`, { cookie, origin: SHOP });
    expect(listed.status).toBe(200);
    // a Bearer key is no ambient credential: any origin may use it
    const bearer = await rawRequest(server.url, 'POST', '/api/generations/create', { ...json, authorization: `Bearer ${KEY}`, origin: 'https://evil.example' }, CREATE);
    expect(bearer.status).toBe(201);
  });
});
