import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFetch } from './api-fetch.js';

/** One loopback server: echoes what it got, and answers the special paths below. */
let server: Server;
let base: string;
let connections = 0;
const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

function listen(target: Server): Promise<string> {
  return new Promise((resolve) => target.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(target.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      if (request.url === '/slow') return; // never answers
      if (request.url === '/empty') return void response.writeHead(204).end();
      if (request.url === '/throttled') return void response.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"detail":"slow down"}');
      if (request.url === '/moved') return void response.writeHead(307, { location: '/echo' }).end();
      if (request.url === '/odd') return void response.writeHead(799).end('odd');
      response.writeHead(201, { 'content-type': 'application/json', 'x-seen': 'yes' });
      response.end(JSON.stringify({ method: request.method, body, type: request.headers['content-type'] ?? null }));
    });
  });
  server.on('connection', () => (connections += 1));
  base = await listen(server);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createApiFetch', () => {
  it('sends a JSON request and hands back a standard Response with status, status text, headers and body', async () => {
    const apiFetch = createApiFetch();
    const response = await apiFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer r8_test' },
      body: '{"input":{"prompt":"a fox"}}',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('x-seen')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', body: '{"input":{"prompt":"a fox"}}', type: 'application/json' });
    expect(received.at(-1)!.headers.authorization).toBe('Bearer r8_test');
  });

  it('takes headers as a Headers object or as pairs, as fetch does', async () => {
    const apiFetch = createApiFetch();
    await (await apiFetch(`${base}/echo`, { headers: new Headers({ 'x-one': '1' }) })).text();
    expect(received.at(-1)!.headers['x-one']).toBe('1');
    await (await apiFetch(`${base}/echo`, { headers: [['x-two', '2']] })).text();
    expect(received.at(-1)!.headers['x-two']).toBe('2');
  });

  it('keeps connections alive: many calls in a row share a couple (a new one only while the last is being released)', async () => {
    const apiFetch = createApiFetch();
    const before = connections;
    for (let i = 0; i < 10; i++) await (await apiFetch(`${base}/echo`, { method: 'POST', body: String(i) })).text();
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('answers without a body where HTTP has none, and with one for errors (429 with Retry-After)', async () => {
    const apiFetch = createApiFetch();
    const empty = await apiFetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const throttled = await apiFetch(`${base}/throttled`, { method: 'POST', body: '{}' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(await throttled.json()).toEqual({ detail: 'slow down' });
  });

  it("fails a redirect under redirect: 'error' as fetch does, and otherwise lets fetch follow it", async () => {
    const apiFetch = createApiFetch();
    const refused = await apiFetch(`${base}/moved`, { method: 'POST', body: '{"a":1}', redirect: 'error' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect(String((refused as TypeError).cause)).toMatch(/redirect/);
    const followed = await apiFetch(`${base}/moved`, { method: 'POST', body: '{"a":1}' });
    expect(followed.status).toBe(201);
    expect(await followed.json()).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it('fails an answer with a status no Response can carry instead of sending the request again', async () => {
    const apiFetch = createApiFetch();
    const before = received.filter((entry) => entry.url === '/odd').length;
    const failed = await apiFetch(`${base}/odd`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TypeError);
    expect(received.filter((entry) => entry.url === '/odd').length - before).toBe(1);
  });

  it('leaves what it does not send itself (a FormData upload) to the fallback fetch', async () => {
    const seen: string[] = [];
    const apiFetch = createApiFetch({
      fallback: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await (await apiFetch(`${base}/echo`, { method: 'POST', body: '{}' })).text();
    expect(seen).toEqual([]);
    const form = new FormData();
    form.set('content', new Blob(['png bytes']), 'a.png');
    const response = await apiFetch(`${base}/echo`, { method: 'POST', body: form });
    expect(seen).toEqual([`${base}/echo`]);
    expect(((await response.json()) as { type: string }).type).toMatch(/^multipart\/form-data/);
  });

  it('fails like fetch: "fetch failed" with the cause when nothing listens, the signal\'s reason on a timeout', async () => {
    const apiFetch = createApiFetch();
    const closed = createServer();
    const closedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const refused = await apiFetch(`${closedUrl}/echo`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect((refused as TypeError).cause).toBeInstanceOf(Error);
    const timedOut = await apiFetch(`${base}/slow`, { signal: AbortSignal.timeout(100) }).catch((error: unknown) => error);
    expect((timedOut as Error).name).toBe('TimeoutError');
  });
});
