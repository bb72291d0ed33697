import { describe, expect, it } from 'vitest';
import { api, download, runModel, sleep, startFastSimulator } from './helpers.js';

describe('output expiry', () => {
  it('deletes outputs after outputTtlMs: URL 404, output null, data_removed true', async () => {
    const sim = await startFastSimulator({ outputTtlMs: 400, outputScale: 0.1 });
    try {
      const done = await runModel(sim, 'black-forest-labs/flux-schnell', { prompt: 'short-lived' });
      expect(done).toMatchObject({ status: 'succeeded', data_removed: false });
      const url = (done.output as string[])[0]!;
      expect((await download(url)).status).toBe(200);
      await sleep(500);
      expect((await download(url)).status).toBe(404);
      const later = (await (await api(sim, `/predictions/${done.id}`)).json()) as { output: unknown; data_removed: boolean; logs: string; status: string };
      expect(later).toMatchObject({ output: null, data_removed: true, logs: '', status: 'succeeded' });
    } finally {
      await sim.close();
    }
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After and the "~Ns" hint once a token exceeds its create limit', async () => {
    const sim = await startFastSimulator({ rateLimit: { creates: 3, windowMs: 20_000 }, outputScale: 0.1 });
    try {
      const create = (token: string) => api(sim, '/models/google/imagen-4/predictions', { token, body: { input: { prompt: 'x' } } });
      for (let i = 0; i < 3; i++) expect((await create('r8_a')).status).toBe(201);
      const throttled = await create('r8_a');
      expect(throttled.status).toBe(429);
      const seconds = Number(throttled.headers.get('retry-after'));
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(20);
      expect(await throttled.json()).toEqual({ detail: `Request was throttled. Your rate limit resets in ~${seconds}s.`, status: 429 });
      // Limits are per token, and creates are counted apart from other requests.
      expect((await create('r8_b')).status).toBe(201);
      expect((await api(sim, '/predictions', { token: 'r8_a' })).status).toBe(200);
      expect(sim.stats().rateLimited).toBe(1);
      expect(sim.stats().perToken.r8_a?.rateLimited).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('leaves out Retry-After when configured, keeping the hint; the window resets', async () => {
    const sim = await startFastSimulator({ rateLimit: { creates: 100, others: 2, windowMs: 300 }, retryAfterHeader: false });
    try {
      expect((await api(sim, '/predictions')).status).toBe(200);
      expect((await api(sim, '/predictions')).status).toBe(200);
      const throttled = await api(sim, '/predictions');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBeNull();
      expect(((await throttled.json()) as { detail: string }).detail).toMatch(/resets in ~1s\.$/);
      await sleep(350);
      expect((await api(sim, '/predictions')).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
