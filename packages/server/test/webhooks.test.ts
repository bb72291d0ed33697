import { createServer } from 'node:net';
import { signWebhook } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTerminal, type TestServer } from './helpers.js';

/** A port that was free a moment ago: the public URL must be known before the server starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let server: TestServer;

beforeAll(async () => {
  const port = await freePort();
  // Polling every minute: results can only arrive in time through the simulator's signed webhooks.
  // Processing takes 1.5 s, so a delivery of our own can land while a prediction is still running.
  server = await startTestServer(
    { PORT: String(port), DOTBASE_PUBLIC_URL: `http://127.0.0.1:${port}` },
    { service: { pollIntervalMs: 60_000 }, simulator: { timing: { startingMs: 20, processingMs: 1500, steps: 2 } } },
  );
});
afterAll(async () => {
  await server?.close();
});

async function deliver(body: string, headers: Record<string, string>) {
  const response = await server.fetch('/api/webhooks/replicate', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as any };
}

function signed(body: string, options: { id?: string; timestamp?: number; secret?: string } = {}) {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = signWebhook(options.secret ?? server.simulator!.webhookSecret, id, timestamp, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

describe('Replicate webhooks', () => {
  it("complete generations through the simulator's signed deliveries", async () => {
    const created = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'via webhook' } });
    expect(created.status).toBe(201);
    const done = await waitForTerminal(server, created.body.id, undefined, 10_000);
    expect(done.status).toBe('completed');
    expect(done.output_urls[0]).toMatch(/\/files\/outputs\//);
    const stats = server.simulator!.stats();
    expect(stats.webhooks.delivered).toBeGreaterThan(0);
    expect(stats.webhooks.failed).toBe(0);
    // no poll ran in between: the result came by webhook
    expect(stats.gets).toBe(0);
  });

  it('apply a valid delivery for a running prediction, once, and acknowledge its retry as a duplicate', async () => {
    const created = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'stopped by webhook' } });
    expect(created.body.status).toBe('processing');
    const predictionId = (await server.dotbase.store.get(created.body.id))!.prediction_id!;
    expect(predictionId).toEqual(expect.any(String));
    // Replicate's own shape for a prediction canceled on its side: only this delivery can make the generation end so.
    const body = JSON.stringify({ id: predictionId, status: 'canceled', output: null, error: null, logs: '' });
    const headers = signed(body);
    expect(await deliver(body, headers)).toEqual({ status: 200, body: { ok: true } });
    expect((await server.json('GET', `/api/generations/${created.body.id}`)).body.status).toBe('canceled');
    expect(await deliver(body, headers)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
  });

  it('refuse forged and stale deliveries', async () => {
    const body = JSON.stringify({ id: 'p1', status: 'succeeded' });
    const forged = await deliver(body, signed(body, { secret: 'whsec_c29tZW9uZSBlbHNlcyBzZWNyZXQ=' }));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('invalid_signature');
    const tampered = signed(body);
    expect((await deliver(body.replace('p1', 'p2'), tampered)).status).toBe(401);
    const stale = await deliver(body, signed(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }));
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/window/);
    expect((await deliver(body, {})).status).toBe(401);
  });

  it('refuse a signed body that is not a prediction', async () => {
    const body = '{"hello":"world"}';
    expect((await deliver(body, signed(body))).status).toBe(422);
  });
});
