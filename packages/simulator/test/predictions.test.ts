import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, FAST_TIMING, sdk, sleep, startFastSimulator, waitForPrediction, type Prediction } from './helpers.js';

const SDXL_VERSION = '6f7a773af6fc3e8de9d5a3c00be77c17308914bf67772726aff83496ba1e3bbe';
const ESRGAN_VERSION = 'b3ef194191d13140337468c916c2c5b96dd0cb06dffc032a022a31807f6a5ea8';

describe('predictions API', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startFastSimulator({ tokens: ['r8_test', 'r8_other', 'r8_revoked'], outputScale: 0.1 });
  });
  afterAll(() => sim.close());

  it('runs an official model by name through the real SDK', async () => {
    const output = await sdk(sim).run('black-forest-labs/flux-schnell', { input: { prompt: 'a red fox', num_outputs: 2 } });
    expect(output).toHaveLength(2);
    for (const url of output as string[]) expect(url).toMatch(new RegExp(`^${sim.origin}/outputs/.+\\.webp$`));
  });

  it('runs community models by version, also as owner/name:version', async () => {
    const replicate = sdk(sim);
    const created = await replicate.predictions.create({ version: SDXL_VERSION, input: { prompt: 'a lighthouse' } });
    expect(created).toMatchObject({ status: 'starting', model: 'bytedance/sdxl-lightning-4step', version: SDXL_VERSION, output: null, error: null });
    const done = await replicate.wait(created, { interval: 20 });
    expect(done.status).toBe('succeeded');
    expect(done.output).toHaveLength(1);
    const byName = await replicate.run(`bytedance/sdxl-lightning-4step:${SDXL_VERSION}`, { input: { prompt: 'a lighthouse' } });
    expect(byName).toHaveLength(1);
  });

  it('answers create with 201 and the full prediction object', async () => {
    const response = await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'a bowl of fruit' } } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Prediction;
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['id', 'model', 'version', 'input', 'output', 'error', 'logs', 'status', 'created_at', 'started_at', 'completed_at', 'urls', 'metrics', 'data_removed']),
    );
    expect(body.id).toMatch(/^[a-z2-7]{26}$/);
    expect(body.input).toEqual({ prompt: 'a bowl of fruit' });
    expect(body.urls).toEqual({ get: `${sim.url}/predictions/${body.id}`, cancel: `${sim.url}/predictions/${body.id}/cancel`, web: `https://replicate.com/p/${body.id}` });
    const done = await waitForPrediction(sim, body.id);
    expect(typeof done.output).toBe('string');
    expect((done.metrics as { predict_time: number }).predict_time).toBeGreaterThan(0);
  });

  it('refuses community models on the models route and unknown models/versions with 404', async () => {
    const community = await api(sim, '/models/nightmareai/real-esrgan/predictions', { body: { input: { image: 'https://e.com/a.png' } } });
    expect(community.status).toBe(404);
    expect(((await community.json()) as { detail: string }).detail).toContain('version');
    expect((await api(sim, '/models/acme/nothing/predictions', { body: { input: { prompt: 'x' } } })).status).toBe(404);
    expect((await api(sim, '/predictions', { body: { version: 'f'.repeat(64), input: {} } })).status).toBe(404);
    expect((await api(sim, '/predictions/doesnotexist')).status).toBe(404);
  });

  it('answers 401 to missing, unknown and revoked tokens; addToken lets one in', async () => {
    const body = { input: { prompt: 'x' } };
    expect((await api(sim, '/models/google/imagen-4/predictions', { body, token: null })).status).toBe(401);
    const unknown = await api(sim, '/models/google/imagen-4/predictions', { body, token: 'r8_nobody' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ detail: 'You did not pass a valid authentication token', status: 401 });
    expect((await api(sim, '/predictions', { token: 'r8_revoked' })).status).toBe(200);
    sim.revokeToken('r8_revoked');
    expect((await api(sim, '/predictions', { token: 'r8_revoked' })).status).toBe(401);
    sim.addToken('r8_revoked');
    sim.addToken('r8_new');
    expect((await api(sim, '/predictions', { token: 'r8_revoked' })).status).toBe(200);
    expect((await api(sim, '/predictions', { token: 'r8_new' })).status).toBe(200);
  });

  it('answers 422 naming the invalid or unknown field', async () => {
    const invalid = await api(sim, '/models/black-forest-labs/flux-schnell/predictions', { body: { input: { prompt: 'x', aspect_ratio: '7:5' } } });
    expect(invalid.status).toBe(422);
    const invalidBody = (await invalid.json()) as { detail: string; status: number; invalid_fields: { field: string }[] };
    expect(invalidBody.status).toBe(422);
    expect(invalidBody.detail).toContain('input.aspect_ratio');
    expect(invalidBody.invalid_fields[0]?.field).toBe('input.aspect_ratio');
    const unknown = await api(sim, '/predictions', { body: { version: SDXL_VERSION, input: { prompt: 'x', colour: 'red' } } });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('colour');
    const badWebhook = await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' }, webhook: 'not a url' } });
    expect(badWebhook.status).toBe(422);
    expect(((await badWebhook.json()) as { detail: string }).detail).toContain('webhook');
  });

  it('moves through starting → processing → succeeded with tqdm progress in the logs', async () => {
    const replicate = sdk(sim);
    const created = await replicate.predictions.create({ model: 'google/nano-banana', input: { prompt: 'a teapot' } });
    const seen: { status: string; logs: string }[] = [];
    let current = created;
    while (!['succeeded', 'failed'].includes(current.status)) {
      seen.push({ status: current.status, logs: current.logs ?? '' });
      await sleep(10);
      current = await replicate.predictions.get(created.id);
    }
    expect(seen[0]?.status).toBe('starting');
    expect(seen.some((s) => s.status === 'processing')).toBe(true);
    expect(current.status).toBe('succeeded');
    expect(current.logs).toMatch(/^Simulated by @dotbase\/simulator/);
    const steps = current.logs!.split('\n').filter((line) => /^\s*\d+%\|/.test(line));
    expect(steps).toHaveLength(FAST_TIMING.steps + 1);
    expect(steps.at(-1)).toMatch(/^100%\|██████████\| 4\/4 \[/);
    const started = Date.parse(current.started_at!);
    expect(started).toBeGreaterThanOrEqual(Date.parse(current.created_at));
    expect(Date.parse(current.completed_at!)).toBeGreaterThanOrEqual(started);
  });

  it('fails predictions whose prompt contains simulate:fail', async () => {
    const created = await sdk(sim).predictions.create({ model: 'google/imagen-4', input: { prompt: 'please simulate:fail now' } });
    const done = await waitForPrediction(sim, created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('simulate:fail');
    expect(done.output).toBeNull();
  });

  it('holds the create with Prefer: wait until the prediction is done', async () => {
    const response = await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait=5' } });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Prediction).status).toBe('succeeded');
    const bad = await api(sim, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait=120' } });
    expect(bad.status).toBe(400);
  });

  it('answers Prefer: wait with the prediction still running when it takes longer', async () => {
    const slow = await startFastSimulator({ timing: { startingMs: 1500, processingMs: 100 } });
    try {
      const response = await api(slow, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' } }, headers: { prefer: 'wait=1' } });
      expect(((await response.json()) as Prediction).status).toBe('starting');
    } finally {
      await slow.close();
    }
  });

  it('cancels a running prediction; cancelling a finished one changes nothing', async () => {
    const slow = await startFastSimulator({ timing: { startingMs: 50, processingMs: 2000 } });
    try {
      const replicate = sdk(slow);
      const created = await replicate.predictions.create({ model: 'google/imagen-4', input: { prompt: 'x' } });
      const canceled = await replicate.predictions.cancel(created.id);
      expect(canceled.status).toBe('canceled');
      expect(canceled.completed_at).not.toBeNull();
      await sleep(100);
      expect((await replicate.predictions.get(created.id)).status).toBe('canceled');
      expect(slow.stats().predictions.canceled).toBe(1);
    } finally {
      await slow.close();
    }
    const done = await sdk(sim).run('google/imagen-4', { input: { prompt: 'x' } });
    expect(typeof done).toBe('string');
  });

  it('aborts a prediction whose Cancel-After passes before it starts', async () => {
    const slow = await startFastSimulator({ timing: { startingMs: 2000, processingMs: 100 } });
    try {
      const response = await api(slow, '/models/google/imagen-4/predictions', { body: { input: { prompt: 'x' } }, headers: { 'cancel-after': '100ms' } });
      const done = await waitForPrediction(slow, ((await response.json()) as Prediction).id);
      expect(done.status).toBe('aborted');
    } finally {
      await slow.close();
    }
  });

  it('scopes predictions to the token that created them', async () => {
    const created = await sdk(sim).predictions.create({ model: 'google/imagen-4', input: { prompt: 'mine' } });
    expect((await api(sim, `/predictions/${created.id}`, { token: 'r8_other' })).status).toBe(404);
    expect((await api(sim, `/predictions/${created.id}/cancel`, { token: 'r8_other', method: 'POST' })).status).toBe(404);
    const otherList = (await (await api(sim, '/predictions', { token: 'r8_other' })).json()) as { results: Prediction[] };
    expect(otherList.results.map((p) => p.id)).not.toContain(created.id);
    expect(sim.getPrediction(created.id)?.id).toBe(created.id);
  });

  it('lists predictions newest first in cursor pages of 100', async () => {
    const lister = await startFastSimulator({ outputScale: 0.05 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 130; i++) {
        const response = await api(lister, '/models/google/imagen-4/predictions', { body: { input: { prompt: `p${i}` } }, token: 'r8_lister' });
        ids.push(((await response.json()) as Prediction).id);
      }
      const replicate = sdk(lister, 'r8_lister');
      const pages: string[][] = [];
      for await (const page of replicate.paginate(() => replicate.predictions.list())) pages.push(page.map((p) => p.id));
      expect(pages.map((page) => page.length)).toEqual([100, 30]);
      expect(pages.flat()).toEqual([...ids].reverse());
      const first = (await (await api(lister, '/predictions', { token: 'r8_lister' })).json()) as { next: string; previous: null };
      expect(first.previous).toBeNull();
      const second = (await (await fetch(first.next, { headers: { authorization: 'Bearer r8_lister' } })).json()) as { next: null; previous: string; results: Prediction[] };
      expect(second.next).toBeNull();
      const back = (await (await fetch(second.previous, { headers: { authorization: 'Bearer r8_lister' } })).json()) as { results: Prediction[] };
      expect(back.results.map((p) => p.id)).toEqual(pages[0]);
    } finally {
      await lister.close();
    }
  });

  it('serves the webhook secret and counts requests in stats', async () => {
    const { key } = await sdk(sim).webhooks.default.secret.get();
    expect(key).toBe(sim.webhookSecret);
    const stats = sim.stats();
    expect(stats.creates).toBeGreaterThan(5);
    expect(stats.gets).toBeGreaterThan(0);
    expect(stats.perToken.r8_test?.creates).toBeGreaterThan(0);
    expect(stats.unauthorized).toBeGreaterThanOrEqual(3);
    expect(stats.predictions.succeeded).toBeGreaterThan(0);
  });

  it('runs a version-pinned upscaler with an unreadable image to a clear failure', async () => {
    const created = await sdk(sim).predictions.create({ version: ESRGAN_VERSION, input: { image: 'data:image/png;base64,bm90IGFuIGltYWdl' } });
    const done = await waitForPrediction(sim, created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('Could not read input image "image": cannot identify image file');
  });
});
