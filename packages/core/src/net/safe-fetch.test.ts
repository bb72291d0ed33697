import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFetch, SafeFetchError } from './safe-fetch.js';
import { UnsafeUrlError } from './public-url.js';

/** Local servers only: a target that counts its requests, and a redirector that sends anywhere it is told. */
let target: Server;
let redirector: Server;
let targetUrl: string;
let redirectorUrl: string;
let targetHits = 0;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  target = createServer((request, response) => {
    targetHits += 1;
    if (request.url === '/big') {
      // no content-length: only streaming with a cap notices, and it must stop reading long before the end
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', () => (sent = Infinity));
      pump();
      return;
    }
    if (request.url === '/declared') {
      response.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      response.end();
      return;
    }
    if (request.url === '/slow') return; // never answers
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end('hello');
  });
  redirector = createServer((request, response) => {
    const to = new URL(request.url ?? '/', 'http://x').searchParams.get('to') ?? '/';
    response.writeHead(302, { location: to });
    response.end();
  });
  targetUrl = await listen(target);
  redirectorUrl = await listen(redirector);
});

afterAll(async () => {
  target.closeAllConnections();
  redirector.closeAllConnections();
  await Promise.all([new Promise((r) => target.close(r)), new Promise((r) => redirector.close(r))]);
});

const port = (url: string) => new URL(url).port;

describe('safeFetch', () => {
  it('fetches from an allow-listed host', async () => {
    const answer = await safeFetch(`${targetUrl}/a`, { allowedHosts: [`127.0.0.1:${port(targetUrl)}`] });
    expect(answer.status).toBe(200);
    expect(Buffer.from(answer.bytes).toString()).toBe('hello');
    expect(answer.headers.get('content-type')).toBe('image/png');
  });

  it('refuses loopback forms before connecting', async () => {
    const before = targetHits;
    for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '127.1', 'localhost', '[::1]']) {
      const error = await safeFetch(`https://${host}:${port(targetUrl)}/a`).catch((e: unknown) => e);
      expect(error, host).toBeInstanceOf(SafeFetchError);
      expect((error as SafeFetchError).reason).toBe('unsafe_url');
    }
    expect(targetHits).toBe(before);
  });

  it('checks every redirect hop: an allowed redirector cannot send it to a host that is not', async () => {
    const before = targetHits;
    const allowedHosts = [`127.0.0.1:${port(redirectorUrl)}`];
    for (const to of [`${targetUrl}/a`, `http://2130706433:${port(targetUrl)}/a`, `https://localhost:${port(targetUrl)}/a`, `http://[::1]:${port(targetUrl)}/a`]) {
      const error = await safeFetch(`${redirectorUrl}/?to=${encodeURIComponent(to)}`, { allowedHosts }).catch((e: unknown) => e);
      expect(error, to).toBeInstanceOf(SafeFetchError);
      expect((error as Error).message, to).toMatch(/^a redirect /);
      expect((error as Error).message).not.toContain(port(targetUrl));
    }
    // the redirect answered before safeFetch returned, so a followed hop would have been counted by now
    expect(targetHits).toBe(before);
    const followed = await safeFetch(`${redirectorUrl}/?to=${encodeURIComponent(`${targetUrl}/a`)}`, {
      allowedHosts: [...allowedHosts, `127.0.0.1:${port(targetUrl)}`],
    });
    expect(followed).toMatchObject({ status: 200, url: `${targetUrl}/a` });
  });

  it('stops after maxRedirects', async () => {
    const loop = `${redirectorUrl}/?to=${encodeURIComponent(`${redirectorUrl}/`)}`;
    const error = await safeFetch(`${redirectorUrl}/?to=${encodeURIComponent(loop)}`, { allowedHosts: [`127.0.0.1:${port(redirectorUrl)}`], maxRedirects: 1 }).catch((e: unknown) => e);
    expect((error as SafeFetchError).reason).toBe('too_many_redirects');
  });

  it('returns a redirect as it is with maxRedirects 0, following nothing', async () => {
    const before = targetHits;
    const answer = await safeFetch(`${redirectorUrl}/?to=${encodeURIComponent(`${targetUrl}/a`)}`, { allowedHosts: [`127.0.0.1:${port(redirectorUrl)}`], maxRedirects: 0 });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(`${targetUrl}/a`);
    expect(targetHits).toBe(before);
  });

  it('streams under the byte cap: a body without a length is cut off, a declared one refused unread', async () => {
    const allowedHosts = [`127.0.0.1:${port(targetUrl)}`];
    const big = await safeFetch(`${targetUrl}/big`, { allowedHosts, maxBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect((big as SafeFetchError).reason).toBe('too_large');
    const declared = await safeFetch(`${targetUrl}/declared`, { allowedHosts, maxBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect((declared as SafeFetchError).reason).toBe('too_large');
  });

  it('has a timeout, and says nothing about what answered', async () => {
    const allowedHosts = [`127.0.0.1:${port(targetUrl)}`];
    const slow = await safeFetch(`${targetUrl}/slow`, { allowedHosts, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((slow as SafeFetchError).reason).toBe('timeout');
    // a closed port: the message must not tell a prober "connection refused" or the address
    const closed = createServer();
    const closedUrl = await listen(closed);
    await new Promise((r) => closed.close(r));
    const refused = await safeFetch(`${closedUrl}/`, { allowedHosts: [`127.0.0.1:${port(closedUrl)}`] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'unreachable', message: 'the URL could not be reached' });
  });

  it('connects only to the address it checked (a second DNS answer cannot rebind it)', async () => {
    let lookups = 0;
    // first answer: where the target listens; any later answer: an address where nothing listens
    const lookup = async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 as const }];
    const answer = await safeFetch(`http://rebind.test:${port(targetUrl)}/a`, { allowedHosts: ['rebind.test'], lookup });
    expect(answer.status).toBe(200);
    expect(lookups).toBe(1);
  });

  it('refuses before any request when the first URL is unsafe', async () => {
    const error = await safeFetch('ftp://127.0.0.1/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafeFetchError);
    expect(error).not.toBeInstanceOf(UnsafeUrlError);
    expect((error as Error).message).toBe('the URL must be an https URL');
  });
});
