import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

const BODY = { action: 'create', model_id: 'flux-schnell', prompt: 'a fox that waits' };

describe('POST /api/generations/create with Prefer: wait (Replicate sync mode)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers once the generation has ended, its outputs already in dotbase storage', async () => {
    const created = await server.json('POST', '/api/generations/create', { body: BODY, headers: { prefer: 'wait' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('preference-applied')).toBe('wait=60');
    expect(created.body).toMatchObject({ status: 'completed', prediction_id: expect.any(String) });
    const output = await fetch(created.body.output_urls[0]);
    expect(output.status).toBe(200);
    expect((await output.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('reads the wait among other preferences and answers a failed generation with its reason', async () => {
    const created = await server.json('POST', '/api/generations/create', {
      body: { ...BODY, prompt: 'simulate:fail now' },
      headers: { prefer: 'respond-async, wait=20; strict' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('preference-applied')).toBe('wait=20');
    expect(created.body.status).toBe('failed');
    expect(created.body.error).toBeTruthy();
  });

  it('without the preference answers at once, as before', async () => {
    const created = await server.json('POST', '/api/generations/create', { body: BODY, headers: { prefer: 'return=minimal' } });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('processing');
    expect(created.headers.get('preference-applied')).toBeNull();
  });

  it.each(['wait=0', 'wait=61', 'wait=1.5', 'wait=-3', 'wait=soon', 'wait=', 'wait=99999999999999999999'])(
    'refuses Prefer: %s with a 400 naming the header, and starts nothing',
    async (prefer) => {
      const before = await server.json('GET', '/api/generations/list?limit=1');
      const answer = await server.json('POST', '/api/generations/create', { body: BODY, headers: { prefer } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'invalid_header', message: expect.stringContaining('Prefer: wait') });
      const after = await server.json('GET', '/api/generations/list?limit=1');
      expect(after.body.total).toBe(before.body.total);
    },
  );
});

describe('a held create on a slow model', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, { simulator: { timing: { startingMs: 20, processingMs: 20_000, steps: 4 } } });
  });
  afterAll(() => server?.close());

  it('answers with the generation as it stands when the wait is over; it runs on', async () => {
    const started = Date.now();
    const created = await server.json('POST', '/api/generations/create', { body: BODY, headers: { prefer: 'wait=1' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('processing');
    const later = await server.json('GET', `/api/generations/${created.body.id}`);
    expect(later.body.status).toBe('processing');
  });

  it('leaves the generation running when the caller goes away', async () => {
    const before = await server.json('GET', '/api/generations/list?limit=1');
    const gone = new AbortController();
    const abandoned = server.fetch('/api/generations/create', {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=60' },
      body: JSON.stringify(BODY),
      signal: gone.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    gone.abort();
    await expect(abandoned).rejects.toThrow();
    const after = await server.json('GET', '/api/generations/list?limit=1');
    expect(after.body.total).toBe(before.body.total + 1);
    expect(after.body.items[0].status).toBe('processing');
  });

  it('lets go of a held create when the server shuts down', async () => {
    const held = server.json('POST', '/api/generations/create', { body: BODY, headers: { prefer: 'wait=60' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = Date.now();
    // close() waits for open requests: it returns quickly only if the held create let go at the shutdown signal
    await server.close();
    expect(Date.now() - closing).toBeLessThan(10_000);
    const answer = await held;
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe('processing');
  });
});
