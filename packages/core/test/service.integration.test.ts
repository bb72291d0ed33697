import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMask, samplePng, startStack } from './helpers.js';

const USER = 'user-a';

describe('generation service against the simulator (real SDK, real fs storage)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let imageId: string;
  let maskId: string;

  beforeAll(async () => {
    stack = await startStack();
    imageId = (await stack.dotbase.blobs.put(await samplePng(), 'image/png', 'uploads')).key;
    maskId = (await stack.dotbase.blobs.put(await sampleMask(), 'image/png', 'uploads')).key;
  });
  afterAll(() => stack.close());

  async function run(request: Parameters<typeof stack.dotbase.service.create>[1]) {
    const created = await stack.dotbase.service.create(USER, request);
    expect(created.status).toBe('processing');
    expect(created.prediction_id).toBeTruthy();
    const done = await stack.dotbase.service.wait(USER, created.id, { timeoutMs: 15_000 });
    expect(done?.error ?? null).toBeNull();
    expect(done?.status).toBe('completed');
    return done!;
  }

  async function outputImage(key: string) {
    const blob = await stack.dotbase.blobs.get(key);
    expect(blob).not.toBeNull();
    return { ...blob!, meta: await sharp(blob!.bytes).metadata() };
  }

  it('creates from a prompt and stores the output in dotbase storage', async () => {
    const done = await run({ action: 'create', model_id: 'flux-schnell', prompt: 'a red fox', settings: { aspect_ratio: '16:9', num_outputs: 2, output_format: 'png' } });
    expect(done.output_keys).toHaveLength(2);
    expect(done.processing_time_ms).toBeGreaterThan(0);
    const { contentType, meta } = await outputImage(done.output_keys[0]!);
    expect(contentType).toBe('image/png');
    expect(meta.width! / meta.height!).toBeCloseTo(16 / 9, 1);
  });

  it('edits an uploaded image', async () => {
    const done = await run({ action: 'edit', model_id: 'flux-kontext-pro', prompt: 'make it night', input_images: [imageId] });
    expect(done.output_keys).toHaveLength(1);
    await outputImage(done.output_keys[0]!);
  });

  it('upscales through a pinned-version model: the output really is larger', async () => {
    const done = await run({ action: 'upscale', model_id: 'real-esrgan', settings: { scale: 2 }, input_images: [imageId] });
    const { meta } = await outputImage(done.output_keys[0]!);
    expect(meta.width).toBe(512);
    expect(meta.height).toBe(512);
  });

  it('removes the background: the output has transparency', async () => {
    const done = await run({ action: 'remove-bg', model_id: 'birefnet', input_images: [imageId] });
    const { meta } = await outputImage(done.output_keys[0]!);
    expect(meta.hasAlpha).toBe(true);
  });

  it('inpaints with a mask and combines two images', async () => {
    await run({ action: 'edit', model_id: 'flux-fill-pro', prompt: 'a garden', input_images: [imageId], mask: maskId });
    await run({ action: 'edit', model_id: 'multi-image-kontext', prompt: 'put them together', input_images: [imageId, imageId] });
  });

  it('records a failed prediction with its reason', async () => {
    const created = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'simulate:fail please' });
    const done = await stack.dotbase.service.wait(USER, created.id, { timeoutMs: 10_000 });
    expect(done?.status).toBe('failed');
    expect(done?.error).toBeTruthy();
    expect(done?.output_keys).toEqual([]);
  });

  it('waits for the end, or stops waiting at its timeout or signal while the generation runs on', async () => {
    const first = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'a slow fox' });
    await expect(stack.dotbase.service.wait(USER, first.id, { timeoutMs: 1 })).rejects.toMatchObject({ code: 'conflict' });
    const stop = new AbortController();
    const stopped = stack.dotbase.service.wait(USER, first.id, { signal: stop.signal });
    stop.abort(new Error('client went away'));
    await expect(stopped).rejects.toThrow('client went away');
    await expect(stack.dotbase.service.wait(USER, first.id, { signal: stop.signal })).rejects.toThrow('client went away');
    const done = await stack.dotbase.service.wait(USER, first.id, { timeoutMs: 10_000, signal: new AbortController().signal });
    expect(done?.status).toBe('completed');
  });

  it('refuses bad input before anything reaches Replicate, naming the field', async () => {
    const before = stack.simulator.stats().creates;
    await expect(
      stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'x', settings: { aspect_ratio: '7:5' } }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('aspect_ratio') });
    await expect(
      stack.dotbase.service.create(USER, { action: 'edit', model_id: 'flux-kontext-pro', prompt: 'x', input_images: ['uploads/doesNotExist1.png'] }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(stack.dotbase.service.create(USER, { action: 'create', model_id: 'no-such-model', prompt: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    expect(stack.simulator.stats().creates).toBe(before);
  });

  it('shows users only their own generations', async () => {
    const done = await run({ action: 'create', model_id: 'sdxl-lightning', prompt: 'mine' });
    expect(await stack.dotbase.service.get('user-b', done.id)).toBeNull();
    expect(await stack.dotbase.service.cancel('user-b', done.id)).toBeNull();
    expect(await stack.dotbase.service.delete('user-b', done.id)).toBe(false);
    expect((await stack.dotbase.service.list('user-b', { page: 1, limit: 20 })).total).toBe(0);
    const mine = await stack.dotbase.service.list(USER, { page: 1, limit: 20, action: 'create', status: 'completed' });
    expect(mine.items.map((g) => g.id)).toContain(done.id);
  });

  it('deletes a generation together with its files', async () => {
    const done = await run({ action: 'create', model_id: 'flux-schnell', prompt: 'to delete' });
    const key = done.output_keys[0]!;
    expect(await stack.dotbase.service.delete(USER, done.id)).toBe(true);
    expect(await stack.dotbase.service.get(USER, done.id)).toBeNull();
    expect(await stack.dotbase.blobs.has(key)).toBe(false);
  });

  it('reports stats by action and status', async () => {
    const rows = await stack.dotbase.service.stats(24 * 60 * 60 * 1000);
    const completedCreates = rows.find((r) => r.action === 'create' && r.status === 'completed');
    expect(completedCreates?.count).toBeGreaterThanOrEqual(2);
    expect(completedCreates?.avg_processing_time_ms).toBeGreaterThan(0);
    expect(rows.find((r) => r.action === 'create' && r.status === 'failed')?.count).toBeGreaterThanOrEqual(1);
  });
});
