import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDotbase } from '../src/index.js';
import { fsStorage } from '../src/node.js';
import { samplePng, tempDir, TOKENS, useStacks } from './helpers.js';

const USER = 'user-r';
const { cleanups, stackWith } = useStacks();

describe('outputs and Replicate expiry', () => {
  it('keeps outputs readable after the simulator has expired its URLs', async () => {
    // the TTL leaves room to copy outputs on a loaded 2-core machine; the wait below goes past it
    const stack = await stackWith({ simulator: { outputTtlMs: 2_000 } });
    const created = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'keep me' });
    const done = await stack.dotbase.service.wait(USER, created.id, { timeoutMs: 10_000 });
    expect(done?.status).toBe('completed');
    const prediction = stack.simulator.getPrediction(done!.prediction_id!);
    const upstreamUrl = ([] as string[]).concat(prediction?.output as string | string[])[0]!;
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await fetch(upstreamUrl)).status).toBe(404);
    const stored = await stack.dotbase.blobs.get(done!.output_keys[0]!);
    expect(stored?.bytes.byteLength).toBeGreaterThan(100);
  });

  it('fails with a clear error, never stays processing, when outputs expire before they are copied', async () => {
    const stack = await stackWith({ simulator: { outputTtlMs: 1 }, dotbase: { service: { pollIntervalMs: 400 } } });
    const created = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'too late' });
    const done = await stack.dotbase.service.wait(USER, created.id, { timeoutMs: 10_000 });
    expect(done?.status).toBe('failed');
    expect(done?.error).toMatch(/output/i);
  });
});

describe('cancel', () => {
  it('cancels a running prediction at Replicate', async () => {
    const stack = await stackWith({ simulator: { timing: { startingMs: 20, processingMs: 5_000 } } });
    const created = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'slow' });
    const canceled = await stack.dotbase.service.cancel(USER, created.id);
    expect(canceled?.status).toBe('canceled');
    expect(stack.simulator.getPrediction(created.prediction_id!)?.status).toBe('canceled');
    // a late poll or webhook must not resurrect it
    await new Promise((r) => setTimeout(r, 200));
    expect((await stack.dotbase.service.get(USER, created.id))?.status).toBe('canceled');
  });
});

describe('cancel after the prediction already finished', () => {
  it('records what really happened instead of deadlocking on its own lock', async () => {
    // polling effectively off: dotbase has not seen the success when the cancel arrives
    const stack = await stackWith({ dotbase: { service: { pollIntervalMs: 60_000 } } });
    const created = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'too quick' });
    for (let i = 0; i < 100 && stack.simulator.getPrediction(created.prediction_id!)?.status !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const outcome = await Promise.race([
      stack.dotbase.service.cancel(USER, created.id),
      new Promise((_, reject) => setTimeout(() => reject(new Error('cancel hung')), 5_000)),
    ]);
    expect(outcome).toMatchObject({ status: 'completed' });
  });
});

describe('token pool under faults', () => {
  it('absorbs 429s on one token by rotating to the others', async () => {
    const stack = await stackWith();
    stack.simulator.setFaults([{ kind: 'rate_limit', token: TOKENS[0]!, on: 'create', retryAfterSeconds: 30 }]);
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) => stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: `fox ${i}` })),
    );
    const done = await Promise.all(created.map((g) => stack.dotbase.service.wait(USER, g.id, { timeoutMs: 15_000 })));
    expect(done.every((g) => g?.status === 'completed')).toBe(true);
    const stats = await stack.dotbase.pool.stats();
    const throttled = stats.filter((t) => t.cooldown_until !== null && t.cooldown_until > Date.now());
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.error_count).toBeGreaterThanOrEqual(1);
    expect(new Set(done.map((g) => g!.token_id)).has(throttled[0]!.id)).toBe(false);
  });

  it('disables a revoked token and moves its traffic, with no user-visible failure', async () => {
    const stack = await stackWith();
    stack.simulator.revokeToken(TOKENS[1]!);
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) => stack.dotbase.service.create(USER, { action: 'create', model_id: 'sdxl-lightning', prompt: `owl ${i}` })),
    );
    const done = await Promise.all(created.map((g) => stack.dotbase.service.wait(USER, g.id, { timeoutMs: 15_000 })));
    expect(done.every((g) => g?.status === 'completed')).toBe(true);
    const disabled = (await stack.dotbase.pool.stats()).filter((t) => !t.is_active);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.last_error).toBeTruthy();
  });
});

describe('crash recovery', () => {
  it('a new service over the same storage finishes the work of one that died', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const first = await stackWith({ dir, simulator: { timing: { startingMs: 20, processingMs: 1_200 } } });
    const created = await Promise.all(
      [1, 2, 3].map((i) => first.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: `survivor ${i}` })),
    );
    // a record that was written but never submitted (the process died in between)
    const orphan = { ...created[0]!, id: crypto.randomUUID(), status: 'pending' as const, prediction_id: null, token_id: null, created_at: Date.now() };
    await first.dotbase.store.create(orphan);
    await first.dotbase.service.stop(); // the "crash": nothing more happens in this process

    const second = createDotbase({ tokens: TOKENS, baseUrl: first.simulator.url, storage: fsStorage(dir), service: { pollIntervalMs: 40 } });
    cleanups.push(() => second.service.stop());
    await second.service.start();
    for (const id of [...created.map((g) => g.id), orphan.id]) {
      const done = await second.service.wait(USER, id, { timeoutMs: 15_000 });
      expect(done?.status, `generation ${id}`).toBe('completed');
      expect(await second.blobs.has(done!.output_keys[0]!)).toBe(true);
    }
  });
});

describe('webhooks', () => {
  it('completes from pushed predictions when polling is too slow to matter, and ignores duplicates', async () => {
    const stack = await stackWith();
    let pushed = 0;
    let receiver: ((prediction: never) => Promise<void>) | undefined;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        pushed += 1;
        void receiver?.(JSON.parse(body) as never).finally(() => res.end('ok'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const hooked = createDotbase({
      tokens: TOKENS,
      baseUrl: stack.simulator.url,
      storage: stack.dotbase.storage,
      service: { pollIntervalMs: 60_000, webhookUrl },
    });
    receiver = (prediction) => hooked.service.handlePrediction(prediction);
    await hooked.service.start();
    cleanups.push(() => hooked.service.stop());

    const created = await hooked.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'pushed' });
    const done = await hooked.service.wait(USER, created.id, { timeoutMs: 10_000 });
    expect(done?.status).toBe('completed');
    expect(pushed).toBeGreaterThan(0);
    await hooked.service.handlePrediction(stack.simulator.getPrediction(created.prediction_id!) as never);
    expect((await hooked.service.get(USER, created.id))?.output_keys).toEqual(done?.output_keys);
  });
});

describe('every seed model', () => {
  it('maps a typical request to input the simulator accepts, and completes', async () => {
    const stack = await stackWith({ simulator: { outputScale: 0.25 } });
    const image = (await stack.dotbase.blobs.put(await samplePng(), 'image/png', 'uploads')).key;
    const summaries = stack.dotbase.registry.summaries();
    expect(summaries).toHaveLength(19);
    const results = await Promise.all(
      summaries.map(async (model) => {
        const images = Array.from({ length: model.inputs.images.min }, () => image);
        const request = {
          action: model.action,
          model_id: model.id,
          ...(model.inputs.prompt !== 'none' ? { prompt: 'a small blue house' } : {}),
          input_images: images,
          // with its input image, a model that takes a mask inpaints with one (FLUX Fill Pro needs it unless it outpaints)
          ...(model.inputs.mask && model.inputs.images.min > 0 ? { mask: image } : {}),
        };
        try {
          const created = await stack.dotbase.service.create(USER, request);
          const done = await stack.dotbase.service.wait(USER, created.id, { timeoutMs: 20_000 });
          return `${model.action}/${model.id}: ${done?.status}${done?.error ? ` (${done.error})` : ''}`;
        } catch (error) {
          return `${model.action}/${model.id}: threw ${(error as Error).message}`;
        }
      }),
    );
    expect(results.filter((r) => !r.endsWith(': completed'))).toEqual([]);
  });
});
