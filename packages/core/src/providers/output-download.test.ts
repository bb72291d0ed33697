import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFetch } from '../net/safe-fetch.js';
import { createOutputDownloader, portableDownloadFetch } from './output-download.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let origin: Server;
let elsewhere: Server;
let originUrl: string;
let elsewhereUrl: string;
let elsewhereHits = 0;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  origin = createServer((request, response) => {
    if (request.url?.startsWith('/to/')) {
      response.writeHead(302, { location: decodeURIComponent(request.url.slice(4)) });
      return void response.end();
    }
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(PNG);
  });
  elsewhere = createServer((_request, response) => {
    elsewhereHits += 1;
    response.end(PNG);
  });
  originUrl = await listen(origin);
  elsewhereUrl = await listen(elsewhere);
});
afterAll(async () => {
  await Promise.all([new Promise((r) => origin.close(r)), new Promise((r) => elsewhere.close(r))]);
});

describe.each([
  ['safeFetch', safeFetch],
  ['portable fetch', portableDownloadFetch(globalThis.fetch)],
])('createOutputDownloader with %s', (_name, download) => {
  const downloader = () => createOutputDownloader({ download, baseUrl: `${originUrl}/v1`, maxBytes: 1024, timeoutMs: 5000 });

  it('downloads from the API base host and follows a redirect that stays on allowed hosts', async () => {
    expect((await downloader()(`${originUrl}/out.png`)).contentType).toBe('image/png');
    expect((await downloader()(`${originUrl}/to/${encodeURIComponent(`${originUrl}/out.png`)}`)).bytes).toEqual(new Uint8Array(PNG));
  });

  it('refuses other hosts, and a redirect to one, without a request to them', async () => {
    const before = elsewhereHits;
    await expect(downloader()(`${elsewhereUrl}/out.png`)).rejects.toThrow(/the output URL is not on an allowed output host/);
    await expect(downloader()(`${originUrl}/to/${encodeURIComponent(`${elsewhereUrl}/out.png`)}`)).rejects.toThrow(/a redirect of the output URL is not on an allowed output host/);
    await expect(downloader()('http://replicate.delivery/x.png')).rejects.toThrow(/not on an allowed output host/);
    expect(elsewhereHits).toBe(before);
  });
});
