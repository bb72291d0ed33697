import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createDotbase, createOutboxStore, type OutboxStore } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { Webhook } from 'standardwebhooks';
import { prefixStorage } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Authenticator } from '../src/index.js';
import { silentLogger } from '../src/log.js';
import { createOutgoingWebhooks } from '../src/webhooks/outgoing/dispatcher.js';
import { createWebhookSecrets } from '../src/webhooks/outgoing/secrets.js';
import { tempDir } from './helpers.js';
import { webhookReceiver } from './receiver.js';

const tokens = ['r8_outbox_crash_token'];
const dave: Authenticator = { name: 'fixed', authenticate: async () => ({ id: 'sso:dave', username: 'dave', is_admin: false }) };

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ tokens, timing: { startingMs: 20, processingMs: 60 } });
});
afterAll(async () => {
  await simulator?.close();
});

/** dotbase over the data in `dir`, served on loopback; `outbox` may wrap the real outbox (the outermost edge). */
async function run(dir: string, wrapOutbox: (outbox: OutboxStore) => OutboxStore = (outbox) => outbox) {
  const storage = fsStorage(dir);
  const outbox = wrapOutbox(createOutboxStore(prefixStorage(storage, 'outbox')));
  const dotbase = createDotbase({ tokens, baseUrl: simulator.url, storage, outbox, service: { pollIntervalMs: 30 } });
  // listening first: bodies made at start (the repaired webhooks) carry absolute URLs
  let app: ReturnType<typeof createServer> | undefined;
  const http = createAdaptorServer({ fetch: (request) => app!.fetch(request) }) as Server;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const webhooks = createOutgoingWebhooks({
    service: dotbase.service,
    outbox,
    store: dotbase.store,
    secrets: createWebhookSecrets(prefixStorage(storage, 'server:webhooks')),
    allowedHosts: ['127.0.0.1'],
    baseUrl: () => url,
    pollMs: 20,
    logger: silentLogger,
  });
  webhooks.start();
  await dotbase.service.start();
  app = createServer({ dotbase, mode: 'replicate', webhooks, auth: { secret: 'crash-7Tq2ZxW9kVr4NpL8cH1mB6sYd3gJ0fA5uEoKi', authenticators: [dave] } });
  const json = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await answer.json()) as any;
  };
  return {
    json,
    async close() {
      await new Promise((resolve) => http.close(resolve));
      await webhooks.stop();
      await dotbase.service.stop();
      await storage.dispose();
    },
  };
}

describe('outgoing webhooks after a crash between a status and its webhook', () => {
  it('are enqueued at the next start and reach the receiver', async () => {
    const data = await tempDir();
    const receiver = webhookReceiver();
    await receiver.listen();
    let lost: (() => void) | undefined;
    const enqueueLost = new Promise<void>((resolve) => (lost = resolve));
    // The process "dies" right after the generation is saved as completed: its webhook is never written.
    const first = await run(data.dir, (outbox) => ({
      ...outbox,
      async enqueue(message) {
        if (message.event === 'completed') {
          lost?.();
          throw new Error('the process died before the webhook was written');
        }
        return outbox.enqueue(message);
      },
    }));
    let id: string;
    try {
      const created = await first.json('POST', '/api/generations/create', {
        action: 'create',
        model_id: 'flux-schnell',
        prompt: 'a fox after a crash',
        webhook: receiver.url,
        webhook_events_filter: ['completed'],
      });
      id = created.id as string;
      await enqueueLost;
      const generation = await first.json('GET', `/api/generations/${id}`);
      expect(generation.status).toBe('completed');
      // the webhook is really gone from this run: no message in the outbox
      expect((await first.json('GET', `/api/generations/${id}/deliveries`)).items).toEqual([]);
    } finally {
      await first.close();
    }

    const second = await run(data.dir);
    try {
      const got = await receiver.until((all) => all.some((r) => r.body.includes(id)), 'the completed webhook after the restart');
      const request = got.find((r) => r.body.includes(id))!;
      expect(JSON.parse(request.body)).toEqual(await second.json('GET', `/api/generations/${id}`));
      expect(request.headers['webhook-id']).toBe(`msg_${id}_completed`);
      new Webhook((await second.json('GET', '/api/webhooks/secret')).key).verify(request.body, request.headers);
    } finally {
      await second.close();
      await receiver.close();
      await data.remove();
    }
  });
});
