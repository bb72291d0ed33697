import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, sdk, startFastSimulator, waitForPrediction, type Prediction } from './helpers.js';

describe('fault injection', () => {
  let sim: RunningSimulator;
  const create = (token = 'r8_test') => api(sim, '/models/google/imagen-4/predictions', { token, body: { input: { prompt: 'x' } } });
  beforeAll(async () => {
    sim = await startFastSimulator({ outputScale: 0.05 });
  });
  beforeEach(() => sim.setFaults([]));
  afterAll(() => sim.close());

  it('rate_limit: the next N creates get 429, with or without Retry-After', async () => {
    sim.setFaults([{ kind: 'rate_limit', times: 1, retryAfterSeconds: 7 }]);
    const first = await create();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(((await first.json()) as { detail: string }).detail).toBe('Request was throttled. Your rate limit resets in ~7s.');
    expect((await create()).status).toBe(201);

    sim.setFaults([{ kind: 'rate_limit', times: 1, retryAfter: false }]);
    const bare = await create();
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(((await bare.json()) as { detail: string }).detail).toMatch(/~30s\.$/);
  });

  it('server_error: answers the chosen 5xx; "create" scope leaves other requests alone', async () => {
    sim.setFaults([{ kind: 'server_error', status: 503, times: 2 }]);
    expect((await api(sim, '/predictions')).status).toBe(200);
    expect((await create()).status).toBe(503);
    expect((await create()).status).toBe(503);
    expect((await create()).status).toBe(201);
  });

  it('scopes a rule to one token and to all requests', async () => {
    sim.setFaults([{ kind: 'server_error', token: 'r8_victim', on: 'all' }]);
    expect((await api(sim, '/predictions', { token: 'r8_victim' })).status).toBe(500);
    expect((await api(sim, '/webhooks/default/secret', { token: 'r8_victim' })).status).toBe(500);
    expect((await api(sim, '/predictions', { token: 'r8_bystander' })).status).toBe(200);
  });

  it('latency: holds the request, then answers normally', async () => {
    sim.setFaults([{ kind: 'latency', delayMs: 300, on: 'all', times: 1 }]);
    const started = Date.now();
    expect((await api(sim, '/predictions')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drop: destroys the connection without an answer', async () => {
    sim.setFaults([{ kind: 'drop', times: 1 }]);
    await expect(create()).rejects.toThrow();
    expect((await create()).status).toBe(201);
  });

  it('revoked: answers 401 as for a revoked token', async () => {
    sim.setFaults([{ kind: 'revoked', token: 'r8_test', on: 'all', times: 1 }]);
    await expect(sdk(sim).predictions.list()).rejects.toThrow(/401/);
    expect((await api(sim, '/predictions')).status).toBe(200);
  });

  it('fail_prediction: the create succeeds, the prediction runs and ends failed', async () => {
    sim.setFaults([{ kind: 'fail_prediction', times: 1, error: 'CUDA out of memory' }]);
    const response = await create();
    expect(response.status).toBe(201);
    const done = await waitForPrediction(sim, ((await response.json()) as Prediction).id);
    expect(done).toMatchObject({ status: 'failed', error: 'CUDA out of memory', output: null });
    expect(done.started_at).not.toBeNull();
    const next = await waitForPrediction(sim, ((await (await create()).json()) as Prediction).id);
    expect(next.status).toBe('succeeded');
  });

  it('fires with a probability and counts every injected fault', async () => {
    const before = sim.stats().faultsInjected;
    sim.setFaults([{ kind: 'server_error', on: 'all', probability: 0.5 }]);
    let failures = 0;
    for (let i = 0; i < 200; i++) if ((await api(sim, '/predictions')).status === 500) failures++;
    // Binomial(200, 0.5): outside 50–150 has a probability far below 1e-10.
    expect(failures).toBeGreaterThan(50);
    expect(failures).toBeLessThan(150);
    expect(sim.stats().faultsInjected - before).toBe(failures);
  });

  it('refuses malformed rules', () => {
    expect(() => sim.setFaults([{ kind: 'server_error', status: 404 }])).toThrow(/5xx/);
    expect(() => sim.setFaults([{ kind: 'latency', probability: 2 }])).toThrow(/probability/);
  });
});
