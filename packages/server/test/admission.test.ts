import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

/** Generations that stay running until cancelled: slots stay taken as long as the test needs. */
const SLOW_SIMULATOR = { timing: { startingMs: 20, processingMs: 30_000, steps: 1 } };
const body = (i: number) => ({ action: 'create', model_id: 'flux-schnell', prompt: `admission ${i}` });

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Settles with the answer, or with 'pending' if it has not come yet after the server answered a later request. */
function track<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T } = { done: false };
  void promise.then((value) => Object.assign(state, { done: true, value }));
  return state;
}

/** Reads a generation's event stream to its end; the status of its last event. */
async function lastStatus(server: TestServer, id: string): Promise<string> {
  const text = await (await server.fetch(`/api/generations/${id}/events`)).text();
  const statuses = [...text.matchAll(/"status":"(\w+)"/g)].map((match) => match[1]);
  return statuses.at(-1) ?? 'none';
}

function expectShed(answer: { status: number; body: any; headers: Headers }) {
  expect(answer.status).toBe(503);
  expect(answer.body.error.code).toBe('overloaded');
  expect(answer.body.error.message).toMatch(/capacity/);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

describe('admission control on POST /api/generations/create', () => {
  it('queues up to the queue size, refuses the next at once with 503 + Retry-After, and admits the queued one when a slot frees', async () => {
    server = await startTestServer(
      { DOTBASE_MAX_IN_FLIGHT: '2', DOTBASE_ADMISSION_QUEUE: '1', DOTBASE_ADMISSION_WAIT_MS: '60000' },
      { simulator: SLOW_SIMULATOR },
    );
    const running = await Promise.all([0, 1].map((i) => server!.json('POST', '/api/generations/create', { body: body(i) })));
    expect(running.map((answer) => answer.status)).toEqual([201, 201]);

    const queued = track(server.json('POST', '/api/generations/create', { body: body(2) }));
    // the queue holds one: the next create is refused without waiting for anything, while the queued one waits
    let refused = await server.json('POST', '/api/generations/create', { body: body(3) });
    for (let i = 0; i < 50 && refused.status === 201; i++) refused = await server.json('POST', '/api/generations/create', { body: body(3) });
    expectShed(refused);
    expect(queued.done).toBe(false);
    // while it is full, a create is shed before its body is even read
    expectShed(await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 42 } }));

    // a running generation ends: its slot goes to the create that waited
    const cancel = await server.json('POST', `/api/generations/${running[0]!.body.id}/cancel`);
    expect(cancel.body.status).toBe('canceled');
    await expect.poll(() => queued.done, { timeout: 10_000 }).toBe(true);
    expect(queued.value!.status).toBe(201);
    expect(queued.value!.body.status).toMatch(/pending|processing/);
  });

  it('refuses a create that waited the maximum wait without a slot, and admits the next once a slot is free', async () => {
    server = await startTestServer(
      { DOTBASE_MAX_IN_FLIGHT: '1', DOTBASE_ADMISSION_QUEUE: '10', DOTBASE_ADMISSION_WAIT_MS: '300' },
      { simulator: SLOW_SIMULATOR },
    );
    const first = await server.json('POST', '/api/generations/create', { body: body(0) });
    expect(first.status).toBe(201);
    expectShed(await server.json('POST', '/api/generations/create', { body: body(1) }));

    await server.json('POST', `/api/generations/${first.body.id}/cancel`);
    const next = await server.json('POST', '/api/generations/create', { body: body(2) });
    expect(next.status).toBe(201);
  });

  it('every accepted create completes, and finished generations give their slots back', async () => {
    // generations that take a while: none of the first three can end (and free its slot) while the burst arrives
    server = await startTestServer(
      { DOTBASE_MAX_IN_FLIGHT: '3', DOTBASE_ADMISSION_QUEUE: '0', DOTBASE_MAX_ACTIVE_GENERATIONS: '100', DOTBASE_RATE_LIMIT_PER_MINUTE: '100000' },
      { simulator: { timing: { startingMs: 20, processingMs: 3_000, steps: 2 } } },
    );
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => server!.json('POST', '/api/generations/create', { body: body(i) })));
    const accepted = answers.filter((answer) => answer.status === 201);
    const shed = answers.filter((answer) => answer.status !== 201);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(3);
    expect(shed.length).toBeGreaterThanOrEqual(9);
    for (const answer of shed) expectShed(answer);
    // followed by its event stream, whose last event goes out after the slot is given back (a GET may show the
    // stored status a moment before the event that ends the generation everywhere)
    for (const answer of accepted) expect(await lastStatus(server, answer.body.id)).toBe('completed');

    // all three slots are free again: three creates at once, none waiting (the queue is 0), all admitted
    const again = await Promise.all([0, 1, 2].map((i) => server!.json('POST', '/api/generations/create', { body: body(100 + i) })));
    expect(again.map((answer) => answer.status), JSON.stringify(again.map((answer) => answer.body))).toEqual([201, 201, 201]);
  });

  it('a create that fails gives its slot back at once', async () => {
    server = await startTestServer({ DOTBASE_MAX_IN_FLIGHT: '1', DOTBASE_ADMISSION_QUEUE: '0' }, { simulator: SLOW_SIMULATOR });
    // an unknown model fails in the create itself (404), after admission
    for (let i = 0; i < 3; i++) {
      const answer = await server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'no-such-model', prompt: 'x' } });
      expect(answer.status).toBe(404);
    }
    expect((await server.json('POST', '/api/generations/create', { body: body(0) })).status).toBe(201);
  });

  it('with a target event-loop delay, sheds while the event loop lags even below the fixed limit, and recovers', async () => {
    server = await startTestServer(
      { DOTBASE_MAX_IN_FLIGHT: '50', DOTBASE_ADMISSION_QUEUE: '0', DOTBASE_ADMISSION_TARGET_LAG_MS: '100' },
      { simulator: SLOW_SIMULATOR },
    );
    // twelve running generations: above the adaptive limit's floor of eight
    for (let i = 0; i < 12; i++) expect((await server.json('POST', '/api/generations/create', { body: body(i) })).status).toBe(201);
    // this process (the server's) is made to fall behind: three turns of its event loop take 500 ms each
    for (let i = 0; i < 3; i++) {
      const end = Date.now() + 500;
      while (Date.now() < end);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expectShed(await server.json('POST', '/api/generations/create', { body: body(12) }));

    // the loop keeps up again: the limit grows back while it is reached, and creates are admitted again
    let answer = await server.json('POST', '/api/generations/create', { body: body(13) });
    for (let i = 0; i < 60 && answer.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await server.json('POST', '/api/generations/create', { body: body(13) });
    }
    expect(answer.status).toBe(201);
  });

  it('invalid settings are refused in the environment', async () => {
    const { loadConfig, ConfigError } = await import('../src/config.js');
    expect(() => loadConfig({ DOTBASE_MAX_IN_FLIGHT: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DOTBASE_ADMISSION_WAIT_MS: 'soon' })).toThrow(/DOTBASE_ADMISSION_WAIT_MS/);
    expect(() => loadConfig({ DOTBASE_ADMISSION_TARGET_LAG_MS: '-1' })).toThrow(/DOTBASE_ADMISSION_TARGET_LAG_MS/);
    expect(loadConfig({ DOTBASE_MAX_IN_FLIGHT: '64', DOTBASE_ADMISSION_QUEUE: '0' }).limits).toMatchObject({
      maxInFlight: 64,
      admissionQueue: 0,
      admissionWaitMs: 1000,
      admissionTargetLagMs: 0,
    });
  });
});
