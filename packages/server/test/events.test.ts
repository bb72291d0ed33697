import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';
import { readSse } from './sse.js';

const KEY = 'key-events-0123456789abcdef';
const BOT = '123456:TEST-bot-token-for-dotbase-events';

let server: TestServer;

beforeAll(async () => {
  // Slower processing, so the stream sees several states; a short heartbeat to observe it.
  server = await startTestServer(
    { DOTBASE_API_KEYS: `me:${KEY}`, TELEGRAM_BOT_TOKEN: BOT, TELEGRAM_ALLOWED_USERNAMES: 'me' },
    { simulator: { timing: { startingMs: 50, processingMs: 600, steps: 4 } }, heartbeatMs: 150 },
  );
});
afterAll(async () => {
  await server?.close();
});

interface Received {
  events: any[];
  comments: number;
  contentType: string | null;
}

/** Reads an SSE stream to its end, the way the widget does: fetch with a header, parse the text. */
async function readEvents(path: string, headers: Record<string, string>): Promise<Received> {
  const response = await server.fetch(path, { headers: { accept: 'text/event-stream', ...headers }, signal: AbortSignal.timeout(15_000) });
  expect(response.status).toBe(200);
  const text = await response.text();
  const blocks = text.split('\n\n').filter(Boolean);
  const events = blocks.filter((block) => block.startsWith('event: generation')).map((block) => JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6)));
  return { events, comments: blocks.filter((block) => block.startsWith(':')).length, contentType: response.headers.get('content-type') };
}

describe('GET /api/generations/:id/events', () => {
  it('streams the current state, each change with progress, and ends at completed (Bearer)', async () => {
    const created = await server.json('POST', '/api/generations/create', { token: KEY, body: { action: 'create', model_id: 'flux-schnell', prompt: 'sse' } });
    const { events, comments, contentType } = await readEvents(`/api/generations/${created.body.id}/events`, { authorization: `Bearer ${KEY}` });
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(events[0]).toMatchObject({ id: created.body.id, status: expect.stringMatching(/pending|processing/) });
    const last = events.at(-1);
    expect(last.status).toBe('completed');
    expect(last.output_urls[0]).toMatch(new RegExp(`^${server.url}/files/outputs/`));
    expect(events.filter((event) => event.status === 'completed')).toHaveLength(1);
    const progress = events.map((event) => event.progress).filter((value) => value !== null);
    expect(progress.length).toBeGreaterThan(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(comments).toBeGreaterThan(0);
    // each message is exactly what GET answers at that moment
    expect(last).toEqual((await server.json('GET', `/api/generations/${created.body.id}`, { token: KEY })).body);
  });

  it('works with the session cookie, and sends one message for an already finished generation', async () => {
    const fields: Record<string, string | number> = { id: 5, username: 'me', auth_date: Math.floor(Date.now() / 1000) };
    const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
    const hash = createHmac('sha256', createHash('sha256').update(BOT).digest()).update(check).digest('hex');
    const signIn = await server.fetch('/api/auth/telegram', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields, hash }) });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

    const created = await server.json('POST', '/api/generations/create', { headers: { cookie }, body: { action: 'create', model_id: 'flux-schnell', prompt: 'cookie' } });
    expect(created.status).toBe(201);
    const live = await readEvents(`/api/generations/${created.body.id}/events`, { cookie });
    expect(live.events.at(-1).status).toBe('completed');
    const after = await readEvents(`/api/generations/${created.body.id}/events`, { cookie });
    expect(after.events).toHaveLength(1);
    expect(after.events[0]).toEqual(live.events.at(-1));
    // the API-key user "me" is someone else
    expect((await server.json('GET', `/api/generations/${created.body.id}/events`, { token: KEY })).status).toBe(404);
  });

  it('numbers each message; a reconnect with Last-Event-ID gets exactly the changes it missed', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const created = await server.json('POST', '/api/generations/create', { token: KEY, body: { action: 'create', model_id: 'flux-schnell', prompt: 'resume' } });
    const path = `/api/generations/${created.body.id}/events`;
    // one client follows to the end; another drops after two messages and comes back later
    // the reference asks for every change from the first, so it holds every id whenever it connects
    const whole = server.fetch(path, { headers: { ...auth, 'last-event-id': '0' } }).then((response) => readSse(response));
    const firstPart = await readSse(await server.fetch(path, { headers: auth }), 2);
    expect(firstPart).toHaveLength(2);
    // it comes back once it missed something (the generation is still running when it left)
    const reference = await whole;
    expect(reference.at(-1)!.data.status).toBe('completed');
    const ids = reference.map((message) => Number(message.id));
    expect(ids).toEqual(ids.map((_, index) => index + 1));
    const lastId = firstPart.at(-1)!.id!;
    const rest = await readSse(await server.fetch(path, { headers: { ...auth, 'last-event-id': lastId } }));
    const missed = reference.filter((message) => Number(message.id) > Number(lastId));
    expect(missed.length).toBeGreaterThan(0);
    expect(rest).toEqual(missed);
    // a reconnect after the end gets nothing more; one with an id this server never gave, the current state
    expect(await readSse(await server.fetch(path, { headers: { ...auth, 'last-event-id': reference.at(-1)!.id! } }))).toEqual([]);
    expect(await readSse(await server.fetch(path, { headers: { ...auth, 'last-event-id': '999999' } }))).toEqual([reference.at(-1)]);
    expect(await readSse(await server.fetch(path, { headers: { ...auth, 'last-event-id': 'garbage' } }))).toEqual([reference.at(-1)]);
  });

  it('answers 404 before streaming for unknown ids and 401 without credentials', async () => {
    expect((await server.json('GET', '/api/generations/nope/events', { token: KEY })).status).toBe(404);
    expect((await server.json('GET', '/api/generations/nope/events')).status).toBe(401);
  });

  it('serves many streams at once without a listener-leak warning (each stream stops listening when it ends)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const created = await server.json('POST', '/api/generations/create', { token: KEY, body: { action: 'create', model_id: 'flux-schnell', prompt: 'many' } });
      const streams = await Promise.all(
        Array.from({ length: 15 }, () => readEvents(`/api/generations/${created.body.id}/events`, { authorization: `Bearer ${KEY}` })),
      );
      for (const { events } of streams) expect(events.at(-1)?.status).toBe('completed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('ends open streams when the server shuts down', async () => {
    // The generation finishes 1.5 s after it starts, well inside the 3 s the server gives running requests on
    // shutdown: a stream that shutdown did not end would live on to carry "completed" (and would then be cut, not
    // ended, which makes read() throw).
    const other = await startTestServer({}, { simulator: { timing: { startingMs: 20, processingMs: 1500, steps: 2 } } });
    const created = await other.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt: 'soon' } });
    const response = await other.fetch(`/api/generations/${created.body.id}/events`);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/"status":"(pending|processing)"/);
    const closing = other.close();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    await closing;
    expect(rest).not.toContain('"status":"completed"');
  });

  it('caps the streams one user holds open (429 JSON past DOTBASE_MAX_STREAMS_PER_USER), per user', async () => {
    const capped = await startTestServer(
      { DOTBASE_API_KEYS: `me:${KEY},you:${KEY}x`, DOTBASE_MAX_STREAMS_PER_USER: '2' },
      { simulator: { timing: { startingMs: 20, processingMs: 60_000, steps: 2 } } },
    );
    try {
      const mine = await capped.json('POST', '/api/generations/create', { token: KEY, body: { action: 'create', model_id: 'flux-schnell', prompt: 'long' } });
      const yours = await capped.json('POST', '/api/generations/create', { token: `${KEY}x`, body: { action: 'create', model_id: 'flux-schnell', prompt: 'long' } });
      const open = (token: string, id: string, signal?: AbortSignal) =>
        capped.fetch(`/api/generations/${id}/events`, { headers: { authorization: `Bearer ${token}` }, ...(signal ? { signal } : {}) });
      const first = new AbortController();
      const streams = [await open(KEY, mine.body.id, first.signal), await open(KEY, mine.body.id)];
      expect(streams.map((stream) => stream.status)).toEqual([200, 200]);
      const third = await open(KEY, mine.body.id);
      expect(third.status).toBe(429);
      expect(((await third.json()) as any).error).toMatchObject({ code: 'too_many_streams', message: expect.stringMatching(/at most 2/) });
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      // someone else is not affected
      const other = await open(`${KEY}x`, yours.body.id);
      expect(other.status).toBe(200);
      await other.body?.cancel();
      // closing a stream frees its slot (the server notices the closed connection shortly after)
      first.abort();
      let again = 429;
      for (let attempt = 0; attempt < 100 && again === 429; attempt++) {
        const answer = await open(KEY, mine.body.id);
        again = answer.status;
        await answer.body?.cancel();
        if (again === 429) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(again).toBe(200);
      await streams[1]!.body?.cancel();
    } finally {
      await capped.close();
    }
  });
});
