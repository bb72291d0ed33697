import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, sleep, startFastSimulator, startLoopbackServer, type LoopbackServer, type Prediction } from './helpers.js';

interface Delivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  prediction: Prediction;
}

/** Checks a delivery the way a receiver must: HMAC over `${id}.${timestamp}.${body}` with the decoded secret. */
function verify(secret: string, delivery: Delivery): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${delivery.id}.${delivery.timestamp}.${delivery.body}`).digest();
  return delivery.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function receiver(failFirst = 0): Promise<{ server: LoopbackServer; deliveries: Delivery[]; attempts: string[] }> {
  const deliveries: Delivery[] = [];
  const attempts: string[] = [];
  const server = await startLoopbackServer((request, body, response) => {
    const id = String(request.headers['webhook-id']);
    attempts.push(id);
    if (attempts.length <= failFirst) {
      response.writeHead(500).end();
      return;
    }
    const text = body.toString();
    deliveries.push({ id, timestamp: String(request.headers['webhook-timestamp']), signature: String(request.headers['webhook-signature']), body: text, prediction: JSON.parse(text) });
    response.writeHead(200).end();
  });
  return { server, deliveries, attempts };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('webhooks', () => {
  let sim: RunningSimulator | undefined;
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await sim?.close();
    await server?.close();
  });

  it('sends output and completed by default, signed with the webhook secret', async () => {
    const hook = await receiver();
    server = hook.server;
    sim = await startFastSimulator({ outputScale: 0.05, webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    const response = await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' }, webhook: `${hook.server.url}/hook` } });
    const { id } = (await response.json()) as Prediction;
    await until(() => hook.deliveries.some((d) => d.prediction.status === 'succeeded' && d.prediction.completed_at !== null) && hook.deliveries.length >= 2);
    await sleep(100);
    expect(hook.deliveries).toHaveLength(2);
    for (const delivery of hook.deliveries) {
      expect(verify(sim.webhookSecret, delivery)).toBe(true);
      expect(delivery.prediction.id).toBe(id);
      expect(Math.abs(Number(delivery.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      expect(verify(sim.webhookSecret, { ...delivery, body: `${delivery.body} ` })).toBe(false);
    }
    expect(hook.deliveries.at(-1)?.prediction).toMatchObject({ status: 'succeeded', webhook: `${hook.server.url}/hook` });
    expect(new Set(hook.deliveries.map((d) => d.id)).size).toBe(2);
  });

  it('honours webhook_events_filter (start, logs throttled, completed)', async () => {
    const hook = await receiver();
    server = hook.server;
    sim = await startFastSimulator({ timing: { startingMs: 20, processingMs: 600, steps: 6 }, outputScale: 0.05 });
    await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' }, webhook: hook.server.url, webhook_events_filter: ['start', 'logs', 'completed'] } });
    await until(() => hook.deliveries.some((d) => d.prediction.status === 'succeeded'));
    const statuses = hook.deliveries.map((d) => d.prediction.status);
    expect(statuses[0]).toBe('starting');
    expect(statuses.at(-1)).toBe('succeeded');
    const logEvents = hook.deliveries.filter((d) => d.prediction.status === 'processing');
    // 7 progress lines over the processing time, but logs events come at most every 500 ms.
    const final = hook.deliveries.at(-1)!.prediction as Prediction & { started_at: string; completed_at: string };
    const processingMs = Date.parse(final.completed_at) - Date.parse(final.started_at);
    expect(logEvents.length).toBeGreaterThanOrEqual(1);
    expect(logEvents.length).toBeLessThanOrEqual(Math.floor(processingMs / 500) + 1);
    expect(logEvents.length).toBeLessThan(7);
  });

  it('retries failed deliveries with back-off and the same webhook-id', async () => {
    const hook = await receiver(2);
    server = hook.server;
    sim = await startFastSimulator({ outputScale: 0.05, webhookRetryDelaysMs: [50, 100, 200] });
    await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' }, webhook: hook.server.url, webhook_events_filter: ['completed'] } });
    await until(() => hook.deliveries.length === 1);
    expect(hook.attempts).toHaveLength(3);
    expect(new Set(hook.attempts).size).toBe(1);
    expect(verify(sim.webhookSecret, hook.deliveries[0]!)).toBe(true);
    await until(() => sim!.stats().webhooks.delivered === 1);
    expect(sim.stats().webhooks.failed).toBe(0);
  });

  it('gives up after the last retry and counts the failure', async () => {
    const hook = await receiver(100);
    server = hook.server;
    sim = await startFastSimulator({ outputScale: 0.05, webhookRetryDelaysMs: [30, 30] });
    await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' }, webhook: hook.server.url, webhook_events_filter: ['completed'] } });
    await until(() => sim!.stats().webhooks.failed === 1);
    expect(hook.attempts).toHaveLength(3);
  });

  it('does not follow a redirect: the delivery failed, and the place it points to gets nothing', async () => {
    const elsewhere = await receiver();
    const redirecting = await startLoopbackServer((_request, _body, response) => {
      response.writeHead(307, { location: elsewhere.server.url }).end();
    });
    server = elsewhere.server;
    try {
      sim = await startFastSimulator({ outputScale: 0.05, webhookRetryDelaysMs: [30] });
      await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' }, webhook: redirecting.url, webhook_events_filter: ['completed'] } });
      await until(() => sim!.stats().webhooks.failed === 1);
      expect(elsewhere.attempts).toEqual([]);
    } finally {
      await redirecting.close();
    }
  });
});
