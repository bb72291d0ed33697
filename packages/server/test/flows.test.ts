import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleImage, sampleMask } from './images.js';
import { startTestServer, upload, waitForTerminal, type TestServer } from './helpers.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function create(body: Record<string, unknown>) {
  const created = await server.json('POST', '/api/generations/create', { body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).toMatchObject({ id: expect.any(String), prediction_id: expect.any(String), status: 'processing' });
  return created.body;
}

/** Runs a generation to the end and checks its outputs are real images in dotbase's own storage. */
async function runToCompletion(body: Record<string, unknown>) {
  const created = await create(body);
  const done = await waitForTerminal(server, created.id);
  expect(done.status, done.error).toBe('completed');
  expect(done.output_urls.length).toBeGreaterThan(0);
  for (const url of done.output_urls as string[]) {
    expect(url.startsWith(`${server.url}/files/outputs/`)).toBe(true);
    expect(url).not.toContain(server.simulator!.origin);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const metadata = await sharp(bytes).metadata();
    expect(response.headers.get('content-type')).toBe(`image/${metadata.format === 'jpeg' ? 'jpeg' : metadata.format}`);
  }
  return done;
}

describe('the seed flows, end to end against the simulator', () => {
  it('create: text to image, with settings kept on the record', async () => {
    const done = await runToCompletion({ action: 'create', model_id: 'flux-schnell', prompt: 'a red fox in snow', settings: { aspect_ratio: '16:9', num_outputs: 2 } });
    expect(done.output_urls).toHaveLength(2);
    expect(done).toMatchObject({ action: 'create', model_id: 'flux-schnell', prompt: 'a red fox in snow', progress: 100, settings: { aspect_ratio: '16:9', num_outputs: 2 } });
    expect(done.processing_time_ms).toBeGreaterThan(0);
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
  });

  it('edit with an upload', async () => {
    const source = await upload(server, await sampleImage('jpeg'));
    expect(source.status).toBe(201);
    const done = await runToCompletion({ action: 'edit', model_id: 'flux-kontext-pro', prompt: 'make it a watercolour', input_images: [source.body.id] });
    expect(done.input_images).toEqual([source.body.id]);
  });

  it('Multi-Image Kontext with two uploads', async () => {
    const first = await upload(server, await sampleImage('png'));
    const second = await upload(server, await sampleImage('webp'));
    await runToCompletion({ action: 'edit', model_id: 'multi-image-kontext', prompt: 'put both in one scene', input_images: [first.body.id, second.body.id] });
  });

  it('FLUX Fill with a mask', async () => {
    const image = await upload(server, await sampleImage('png'));
    const mask = await upload(server, await sampleMask());
    const done = await runToCompletion({ action: 'edit', model_id: 'flux-fill-pro', prompt: 'a golden sun', input_images: [image.body.id], mask: mask.body.id });
    expect(done.mask).toBe(mask.body.id);
  });

  it('FLUX Fill outpaints without a mask, and refuses a mask it would ignore, naming the field', async () => {
    const image = await upload(server, await sampleImage('png', 64, 48));
    const done = await runToCompletion({ action: 'edit', model_id: 'flux-fill-pro', prompt: 'more sky', input_images: [image.body.id], settings: { outpaint: 'Zoom out 2x' } });
    expect(done).toMatchObject({ mask: null, settings: { outpaint: 'Zoom out 2x' } });
    const output = await sharp(new Uint8Array(await (await fetch(done.output_urls[0])).arrayBuffer())).metadata();
    expect([output.width, output.height]).toEqual([128, 96]);
    const mask = await upload(server, await sampleMask(64, 48));
    for (const body of [
      { action: 'edit', model_id: 'flux-fill-pro', prompt: 'more sky', input_images: [image.body.id], mask: mask.body.id, settings: { outpaint: 'Zoom out 2x' } },
      { action: 'edit', model_id: 'flux-fill-pro', prompt: 'more sky', input_images: [image.body.id] },
    ]) {
      const refused = await server.json('POST', '/api/generations/create', { body });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('mask') });
      expect(refused.body.error.details.issues).toEqual([expect.objectContaining({ path: 'mask' })]);
    }
  });

  it('upscale', async () => {
    const image = await upload(server, await sampleImage('png', 64, 64));
    const done = await runToCompletion({ action: 'upscale', model_id: 'real-esrgan', input_images: [image.body.id], settings: { scale: 2 } });
    const output = await sharp(new Uint8Array(await (await fetch(done.output_urls[0])).arrayBuffer())).metadata();
    expect(output.width).toBe(128);
  });

  it('remove the background', async () => {
    const image = await upload(server, await sampleImage('png'));
    const done = await runToCompletion({ action: 'remove-bg', model_id: 'birefnet', input_images: [image.body.id] });
    const output = await sharp(new Uint8Array(await (await fetch(done.output_urls[0])).arrayBuffer())).metadata();
    expect(output.hasAlpha).toBe(true);
  });

  it('chains an output into the next generation (create → upscale)', async () => {
    const created = await runToCompletion({ action: 'create', model_id: 'sdxl-lightning', prompt: 'a lighthouse', settings: { width: 256, height: 256 } });
    const key = new URL(created.output_urls[0]).pathname.replace('/files/', '');
    await runToCompletion({ action: 'upscale', model_id: 'real-esrgan', input_images: [key], settings: { scale: 2 } });
  });

  it('takes the output_urls it hands out back as input_images and mask (chaining without rewriting URLs)', async () => {
    const created = await runToCompletion({ action: 'create', model_id: 'sdxl-lightning', prompt: 'a lighthouse', settings: { width: 256, height: 256 } });
    const url: string = created.output_urls[0];
    const upscaled = await runToCompletion({ action: 'upscale', model_id: 'real-esrgan', input_images: [url], settings: { scale: 2 } });
    // Stored as the blob key it names, so history and reuse see the same reference either way.
    expect(upscaled.input_images).toEqual([new URL(url).pathname.replace('/files/', '')]);
    const mask = await upload(server, await sampleMask());
    const filled = await runToCompletion({ action: 'edit', model_id: 'flux-fill-pro', prompt: 'a boat', input_images: [url], mask: mask.body.url });
    expect(filled.mask).toBe(mask.body.id);
    // A /files/ URL of this server naming no stored image is still refused, as is a plain http URL elsewhere.
    for (const ref of [`${server.url}/files/outputs/AAAAAAAAAAAAAAAAAAAAAA.png`, 'http://127.0.0.1:9/files/outputs/x.png']) {
      const refused = await server.json('POST', '/api/generations/create', { body: { action: 'upscale', model_id: 'real-esrgan', input_images: [ref] } });
      expect(refused.status, ref).toBe(422);
      expect(refused.body.error.code).toBe('invalid_input');
    }
  });

  it('lists models per action with JSON Schema settings', async () => {
    const { status, body } = await server.json('GET', '/api/models/list?action=edit');
    expect(status).toBe(200);
    const ids = body.items.map((item: { id: string }) => item.id);
    expect(ids).toEqual(expect.arrayContaining(['nano-banana', 'seedream-4', 'flux-kontext-pro', 'multi-image-kontext', 'flux-fill-pro']));
    expect(body.items.every((item: { action: string }) => item.action === 'edit')).toBe(true);
    const fill = body.items.find((item: { id: string }) => item.id === 'flux-fill-pro');
    // a mask to inpaint, none to outpaint (the model refuses the wrong combination itself)
    expect(fill.inputs).toMatchObject({ mask: true, mask_required: false });
    expect(fill.settings_schema.type).toBe('object');
    expect((await server.json('GET', '/api/models/list?action=paint')).status).toBe(422);
  });

  it('lists the caller\'s generations newest first, filtered and paged', async () => {
    const all = await server.json('GET', '/api/generations/list?limit=100');
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(8);
    const times = all.body.items.map((item: { created_at: number }) => item.created_at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const upscales = await server.json('GET', '/api/generations/list?action=upscale&status=completed&limit=1&page=2');
    expect(upscales.body).toMatchObject({ page: 2, limit: 1, total: 3 });
    expect(upscales.body.items).toHaveLength(1);
    expect(upscales.body.items[0].action).toBe('upscale');
    // Search by prompt, case-insensitive, with the other filters and paging.
    const lighthouses = all.body.items.filter((item: { prompt: string | null }) => item.prompt?.toLowerCase().includes('lighthouse'));
    expect(lighthouses.length).toBeGreaterThanOrEqual(2);
    const found = await server.json('GET', '/api/generations/list?q=LightHouse&limit=1&page=2');
    expect(found.body).toMatchObject({ page: 2, limit: 1, total: lighthouses.length });
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([lighthouses[1].id]);
    const none = await server.json('GET', '/api/generations/list?q=lighthouse&action=remove-bg');
    expect(none.body).toMatchObject({ items: [], total: 0 });
    expect((await server.json('GET', `/api/generations/list?q=${'x'.repeat(201)}`)).status).toBe(422);
    const bad = await server.json('GET', '/api/generations/list?status=done&limit=1000');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['limit', 'status']);
  });

  it('serves outputs from its own storage even with the simulator gone', async () => {
    const done = await runToCompletion({ action: 'create', model_id: 'flux-schnell', prompt: 'a quiet harbour' });
    await server.simulator!.close();
    const response = await fetch(done.output_urls[0]);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(done.output_urls[0], { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });
});
