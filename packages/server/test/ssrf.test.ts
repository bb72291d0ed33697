import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATALOG_MODELS, signWebhook, versionIdOf } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorTokensFor } from '../src/simulator/in-process.js';
import { sampleImage } from './images.js';
import { startTestServer, waitForTerminal, type TestServer } from './helpers.js';

/**
 * Every URL here is a loopback form: a local target that counts the requests it gets (and would answer with an
 * image), so a refusal is proven by its count staying at zero after a request that would have reached it.
 */
let target: Server;
let targetPort: number;
let hits = 0;
let png: Uint8Array;
/** A fresh random secret: the server refuses ones that look made up. */
const SECRET = randomBytes(32).toString('base64url');

beforeAll(async () => {
  png = await sampleImage('png');
  target = createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.byteLength) });
    response.end(png);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetPort = (target.address() as AddressInfo).port;
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

const loopbackForms = () => [
  `https://127.0.0.1:${targetPort}/a.png`,
  `http://127.0.0.1:${targetPort}/a.png`,
  `https://[::1]:${targetPort}/a.png`,
  `https://2130706433:${targetPort}/a.png`,
  `https://0x7f000001:${targetPort}/a.png`,
  `https://127.1:${targetPort}/a.png`,
  `https://0177.0.0.1:${targetPort}/a.png`,
  `https://localhost:${targetPort}/a.png`,
  `https://[::ffff:127.0.0.1]:${targetPort}/a.png`,
];

describe('URL inputs (default simulator mode)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ DOTBASE_SECRET: SECRET });
  });
  afterAll(() => server?.close());

  it('refuses every loopback form at create with a 422 naming the field, before anything starts', async () => {
    const before = hits;
    for (const url of loopbackForms()) {
      const answer = await server.json('POST', '/api/generations/create', { body: { action: 'upscale', model_id: 'real-esrgan', input_images: [url] } });
      expect(answer.status, url).toBe(422);
      expect(answer.body.error.details.issues, url).toEqual([{ path: 'input_images.0', message: expect.stringMatching(/^URL /) }]);
      const mask = await server.json('POST', '/api/generations/create', {
        body: { action: 'edit', model_id: 'flux-fill-pro', prompt: 'x', input_images: [url.replace('a.png', 'b.png')], mask: url },
      });
      expect(mask.status, url).toBe(422);
    }
    expect((await server.json('GET', '/api/generations/list')).body.total).toBe(0);
    expect(server.simulator!.stats().creates).toBe(0);
    expect(hits).toBe(before);
  });

  it("the in-process simulator fetches inputs through the safe fetch: a loopback URL sent to it directly is not fetched, and the error does not say what answered", async () => {
    const [token] = simulatorTokensFor(SECRET);
    const before = hits;
    const created = await fetch(`${server.simulator!.url}/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        version: versionIdOf(CATALOG_MODELS.find((model) => model.slug === 'nightmareai/real-esrgan')!),
        input: { image: `http://127.0.0.1:${targetPort}/a.png` },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    let prediction: any;
    for (let i = 0; i < 200; i += 1) {
      prediction = await (await fetch(`${server.simulator!.url}/predictions/${id}`, { headers: { authorization: `Bearer ${token}` } })).json();
      if (prediction.status === 'failed' || prediction.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(prediction.status).toBe('failed');
    expect(prediction.error).toMatch(/could not be downloaded/);
    expect(prediction.error).not.toContain(String(targetPort));
    expect(prediction.error).not.toMatch(/ECONNREFUSED|HTTP \d|127\.0\.0\.1/);
    expect(hits).toBe(before);
  });
});

describe('output downloads', () => {
  let server: TestServer;
  let allowed: Server;
  let allowedPort: number;
  let allowedHits = 0;

  beforeAll(async () => {
    allowed = createServer((_request, response) => {
      allowedHits += 1;
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(png);
    });
    await new Promise<void>((resolve) => allowed.listen(0, '127.0.0.1', resolve));
    allowedPort = (allowed.address() as AddressInfo).port;
    // no polling and a minute-long prediction: only the webhooks below can end the generations
    server = await startTestServer(
      { DOTBASE_OUTPUT_HOSTS: `cdn.invalid, 127.0.0.1:${allowedPort}` },
      { service: { pollIntervalMs: 600_000 }, simulator: { timing: { startingMs: 10, processingMs: 600_000 } } },
    );
  });
  afterAll(async () => {
    await server?.close();
    allowed.closeAllConnections();
    await new Promise((resolve) => allowed.close(resolve));
  });

  async function completeByWebhook(output: string[]) {
    const created = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'a fox' } });
    expect(created.status).toBe(201);
    const body = JSON.stringify({ id: created.body.prediction_id, status: 'succeeded', output, error: null });
    const messageId = `msg_${crypto.randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const delivered = await server.fetch('/api/webhooks/replicate', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(server.simulator!.webhookSecret, messageId, timestamp, body),
      },
      body,
    });
    expect(delivered.status).toBe(200);
    return waitForTerminal(server, created.body.id);
  }

  it('a signed webhook naming a host that is not an output host is refused without a request to it', async () => {
    const before = hits;
    for (const url of [`http://127.0.0.1:${targetPort}/evil.png`, `http://2130706433:${targetPort}/evil.png`, `http://[::1]:${targetPort}/evil.png`, `http://localhost:${targetPort}/evil.png`]) {
      const done = await completeByWebhook([url]);
      expect(done.status, url).toBe('failed');
      expect(done.error, url).toMatch(/not on an allowed output host/);
      expect(done.output_urls).toEqual([]);
    }
    expect(hits).toBe(before);
  });

  it('outputs come from DOTBASE_OUTPUT_HOSTS (and the simulator, the API base) as configured', async () => {
    const done = await completeByWebhook([`http://127.0.0.1:${allowedPort}/fine.png`]);
    expect(done.status).toBe('completed');
    expect(allowedHits).toBe(1);
    const stored = await fetch(done.output_urls[0]);
    expect(Buffer.from(await stored.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
  });
});
