import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { startServer } from '../src/start.js';
import { FAST_SIMULATOR, startTestServer, tempDir, waitForTerminal, type TestServer } from './helpers.js';
import { webhookReceiver, type ReceivedWebhook } from './receiver.js';

/** Retries within milliseconds, so a test sees several tries; the 24 h default is tested in schedule.test.ts. */
const FAST_WEBHOOKS = { schedule: { initialDelayMs: 50, maxDelayMs: 200, windowMs: 60_000 }, pollMs: 20 };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DOTBASE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, { webhooks: FAST_WEBHOOKS });
});
afterAll(async () => {
  await server?.close();
});

const forGeneration = (id: string) => (request: ReceivedWebhook) => (JSON.parse(request.body) as { id: string }).id === id;

async function create(target: TestServer, body: Record<string, unknown>) {
  return target.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'a hooked fox', ...body } });
}

async function deliveriesOf(target: TestServer, id: string) {
  const answer = await target.json('GET', `/api/generations/${id}/deliveries`);
  expect(answer.status).toBe(200);
  return answer.body.items as any[];
}

describe('outgoing webhooks', () => {
  it('POST the generation, signed with the user’s secret, as GET answers it', async () => {
    const receiver = webhookReceiver();
    await receiver.listen();
    try {
      const { body: secret } = await server.json('GET', '/api/webhooks/secret');
      expect(secret.key).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const created = await create(server, { webhook: receiver.url });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const final = await waitForTerminal(server, id);
      expect(final.status).toBe('completed');

      const got = await receiver.until((all) => all.some((r) => r.body.includes('"status":"completed"')), 'the completed webhook');
      const verifier = new Webhook(secret.key);
      const events = got.filter(forGeneration(id));
      for (const request of events) {
        expect(request.headers['content-type']).toBe('application/json');
        // throws unless the signature, id and timestamp check out
        verifier.verify(request.body, request.headers);
      }
      const completed = events.find((r) => r.body.includes('"status":"completed"'))!;
      expect(JSON.parse(completed.body)).toEqual(final);
      // a signature from another secret is refused by the same verifier: the check above can fail
      const forged = { ...completed.headers, 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') };
      expect(() => verifier.verify(completed.body, forged)).toThrow();

      // the events go out side by side: wait for every one to be answered
      let deliveries = await deliveriesOf(server, id);
      for (let tries = 0; deliveries.some((d) => d.status === 'pending') && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        deliveries = await deliveriesOf(server, id);
      }
      expect(deliveries.map((d) => d.event)).toEqual(expect.arrayContaining(['start', 'output', 'completed']));
      // one request per delivery: nothing sent twice when it was answered 200 the first time
      expect(receiver.received.filter(forGeneration(id))).toHaveLength(deliveries.length);
      expect(deliveries.every((d) => d.status === 'delivered' && d.attempts.length === 1 && d.attempts[0].status_code === 200)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('send only the events in webhook_events_filter', async () => {
    const receiver = webhookReceiver();
    await receiver.listen();
    try {
      const created = await create(server, { webhook: receiver.url, webhook_events_filter: ['completed'] });
      const id = created.body.id as string;
      await waitForTerminal(server, id);
      await receiver.until((all) => all.some(forGeneration(id)), 'the completed webhook');
      const deliveries = await deliveriesOf(server, id);
      expect(deliveries.map((d) => d.event)).toEqual(['completed']);
      expect(receiver.received.filter(forGeneration(id))).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('deliver again, under the same webhook-id, after the receiver answers 500', async () => {
    const receiver = webhookReceiver((_, count) => (count < 2 ? 500 : 204));
    await receiver.listen();
    try {
      const created = await create(server, { webhook: receiver.url, webhook_events_filter: ['completed'] });
      const id = created.body.id as string;
      const got = await receiver.until((all) => all.some((r) => r.answered === 204), 'a delivery after two 500s');
      expect(got.map((r) => r.answered)).toEqual([500, 500, 204]);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
      let [delivery] = await deliveriesOf(server, id);
      // the receiver answers before dotbase records the answer
      for (let tries = 0; delivery.status === 'pending' && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [delivery] = await deliveriesOf(server, id);
      }
      expect(delivery).toMatchObject({ event: 'completed', status: 'delivered', id: got[0]!.headers['webhook-id'] });
      expect(delivery.attempts.map((a: any) => a.status_code)).toEqual([500, 500, 204]);
    } finally {
      await receiver.close();
    }
  });

  it('refuse webhook targets that are not allowed, creating nothing and sending nothing', async () => {
    const receiver = webhookReceiver();
    await receiver.listen();
    try {
      const before = (await server.json('GET', '/api/generations/list')).body.total;
      const port = receiver.port;
      for (const target of [
        `http://localhost:${port}/hooks`,
        `http://[::1]:${port}/hooks`,
        `https://[::1]:${port}/hooks`,
        `http://2130706433:${port}/hooks`,
        `http://0x7f000001:${port}/hooks`,
        `http://127.1:${port}/hooks`,
        `https://127.0.0.2:${port}/hooks`,
        `https://localhost:${port}/hooks`,
        `ftp://127.0.0.1:${port}/hooks`,
        'not a url',
      ]) {
        const answer = await create(server, { webhook: target });
        expect(answer.status, target).toBe(422);
        expect(answer.body.error.code, target).toBe('invalid_input');
        expect(answer.body.error.message, target).toMatch(/^webhook/);
      }
      const batch = await server.json('POST', '/api/generations/create', {
        body: { action: 'create', model_id: 'flux-schnell', prompt: 'x', webhook_events_filter: ['nope'] },
      });
      expect(batch.status).toBe(422);
      expect((await server.json('GET', '/api/generations/list')).body.total).toBe(before);
      // the allowed form of the same receiver gets its webhook: had any refused one been sent, it would be here first
      const allowed = await create(server, { webhook: receiver.url, webhook_events_filter: ['completed'] });
      await receiver.until((all) => all.some(forGeneration(allowed.body.id)), 'the allowed webhook');
      expect(receiver.received.map((r) => JSON.parse(r.body).id)).toEqual([allowed.body.id]);
    } finally {
      await receiver.close();
    }
  });

  it('rotate the secret: later deliveries verify with the new one only', async () => {
    const receiver = webhookReceiver();
    await receiver.listen();
    try {
      const old = (await server.json('GET', '/api/webhooks/secret')).body.key as string;
      const rotated = await server.json('POST', '/api/webhooks/secret/rotate');
      expect(rotated.status).toBe(200);
      expect(rotated.body.key).not.toBe(old);
      expect((await server.json('GET', '/api/webhooks/secret')).body.key).toBe(rotated.body.key);
      const created = await create(server, { webhook: receiver.url, webhook_events_filter: ['completed'] });
      const [request] = await receiver.until((all) => all.some(forGeneration(created.body.id)), 'the webhook');
      new Webhook(rotated.body.key).verify(request!.body, request!.headers);
      expect(() => new Webhook(old).verify(request!.body, request!.headers)).toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('send a batch’s webhook for each of its items, and refuse a batch webhook that is not allowed', async () => {
    const receiver = webhookReceiver();
    await receiver.listen();
    try {
      const refused = await server.json('POST', '/api/batches', { body: { items: [{ action: 'create', model_id: 'flux-schnell', prompt: 'x' }], webhook: `http://localhost:${receiver.port}/hooks` } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.issues[0].path).toBe('webhook');
      const items = [1, 2].map((i) => ({ action: 'create', model_id: 'flux-schnell', prompt: `batch item ${i}` }));
      const batch = await server.json('POST', '/api/batches', { body: { items, webhook: receiver.url, webhook_events_filter: ['completed'] } });
      expect(batch.status).toBe(201);
      expect(batch.body.webhook).toBe(receiver.url);
      const got = await receiver.until((all) => all.length >= 2, 'both items’ webhooks');
      const key = (await server.json('GET', '/api/webhooks/secret')).body.key as string;
      for (const request of got) new Webhook(key).verify(request.body, request.headers);
      expect(got.map((r) => JSON.parse(r.body).id).sort()).toEqual([...batch.body.items].sort());
    } finally {
      await receiver.close();
    }
  });

  it('keep deliveries to oneself: another user’s generation has no deliveries to show', async () => {
    const other = await server.json('GET', '/api/generations/00000000-0000-4000-8000-000000000000/deliveries');
    expect(other.status).toBe(404);
  });
});

describe('outgoing webhooks that get no good answer', () => {
  it('give up on a receiver that does not answer in time, and try it again', async () => {
    const target = await startTestServer({ DOTBASE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, { webhooks: { ...FAST_WEBHOOKS, timeoutMs: 300 } });
    const receiver = webhookReceiver((_, count) => (count === 0 ? 'hang' : 200));
    await receiver.listen();
    try {
      const created = await create(target, { webhook: receiver.url, webhook_events_filter: ['completed'] });
      const got = await receiver.until((all) => all.some((r) => r.answered === 200), 'the try after the one left hanging');
      expect(got[0]!.answered).toBe(0);
      expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id']);
      let [delivery] = await deliveriesOf(target, created.body.id);
      for (let tries = 0; delivery.status === 'pending' && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [delivery] = await deliveriesOf(target, created.body.id);
      }
      expect(delivery.attempts[0]).toMatchObject({ status_code: null, error: expect.stringMatching(/in time/) });
      expect(delivery).toMatchObject({ status: 'delivered' });
    } finally {
      await receiver.close();
      await target.close();
    }
  });

  it('never follow a redirect: a 302 is a failed try, and its Location is not called', async () => {
    const elsewhere = webhookReceiver();
    await elsewhere.listen();
    const receiver = webhookReceiver((_, count) => (count < 2 ? { status: 302, headers: { location: elsewhere.url } } : 200));
    await receiver.listen();
    try {
      const created = await create(server, { webhook: receiver.url, webhook_events_filter: ['completed'] });
      await receiver.until((all) => all.some((r) => r.answered === 200), 'the try after two redirects');
      let [delivery] = await deliveriesOf(server, created.body.id);
      for (let tries = 0; delivery.status === 'pending' && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [delivery] = await deliveriesOf(server, created.body.id);
      }
      expect(delivery.attempts.map((a: any) => a.status_code)).toEqual([302, 302, 200]);
      // a followed redirect would have reached it before the next try was even made
      expect(elsewhere.received).toEqual([]);
    } finally {
      await receiver.close();
      await elsewhere.close();
    }
  });
});

describe('outgoing webhooks across a restart', () => {
  it('reach a receiver that was down, once it is up after dotbase restarted', async () => {
    const data = await tempDir();
    const receiver = webhookReceiver();
    await receiver.listen();
    const port = receiver.port;
    await receiver.close();
    const options = { logger: silentLogger, simulator: FAST_SIMULATOR, service: { pollIntervalMs: 40 }, webhooks: FAST_WEBHOOKS };
    const env = { PORT: '0', DOTBASE_DATA_DIR: data.dir, DOTBASE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };
    let first = await startServer({ env, ...options });
    try {
      const created = await fetch(`${first.url}/api/generations/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: 'patience', webhook: `http://127.0.0.1:${port}/hooks`, webhook_events_filter: ['completed'] }),
      });
      const id = ((await created.json()) as { id: string }).id;
      // wait for tries that failed (nobody listens)
      for (let tries = 0; ; tries++) {
        const deliveries = (await (await fetch(`${first.url}/api/generations/${id}/deliveries`)).json()) as { items: any[] };
        if ((deliveries.items[0]?.attempts.length ?? 0) >= 2) {
          expect(deliveries.items[0].attempts[0]).toMatchObject({ status_code: null });
          expect(deliveries.items[0].status).toBe('pending');
          break;
        }
        if (tries > 300) throw new Error('no failed delivery recorded');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await first.close();
      const second = await startServer({ env, ...options });
      first = second;
      await receiver.listen(port);
      const got = await receiver.until((all) => all.length > 0, 'the delivery after the restart');
      expect(JSON.parse(got[0]!.body)).toMatchObject({ id, status: 'completed' });
      const key = ((await (await fetch(`${second.url}/api/webhooks/secret`)).json()) as { key: string }).key;
      new Webhook(key).verify(got[0]!.body, got[0]!.headers);
    } finally {
      await first.close();
      await receiver.close();
      await data.remove();
    }
  });

  it('never sends a queued webhook to a host no longer allowed after a restart', async () => {
    const data = await tempDir();
    const receiver = webhookReceiver(() => 500);
    await receiver.listen();
    const options = { logger: silentLogger, simulator: FAST_SIMULATOR, service: { pollIntervalMs: 40 }, webhooks: FAST_WEBHOOKS };
    let running = await startServer({ env: { PORT: '0', DOTBASE_DATA_DIR: data.dir, DOTBASE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, ...options });
    try {
      const created = await fetch(`${running.url}/api/generations/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: 'x', webhook: receiver.url, webhook_events_filter: ['completed'] }),
      });
      const id = ((await created.json()) as { id: string }).id;
      await receiver.until((all) => all.length >= 1, 'a first (refused) delivery');
      await running.close();
      const seen = receiver.received.length;
      running = await startServer({ env: { PORT: '0', DOTBASE_DATA_DIR: data.dir }, ...options });
      // the worker tries again, and is stopped by the rules before connecting
      for (let tries = 0; ; tries++) {
        const { items } = (await (await fetch(`${running.url}/api/generations/${id}/deliveries`)).json()) as { items: any[] };
        const last = items[0].attempts.at(-1);
        if (last.status_code === null) {
          expect(last.error).toMatch(/https/);
          break;
        }
        if (tries > 300) throw new Error('no refused try recorded');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(receiver.received.length).toBe(seen);
    } finally {
      await running.close();
      await receiver.close();
      await data.remove();
    }
  });
});
