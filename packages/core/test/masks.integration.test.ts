import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharpImageTools } from '../src/node.js';
import { sampleMask, samplePng, startStack } from './helpers.js';

const USER = 'user-m';

/** Mean brightness of the left and right halves of an image given as a data URL. */
async function halves(dataUrl: string) {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  let left = 0;
  let right = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const value = data[y * info.width + x]!;
      if (x < info.width / 2) left += value;
      else right += value;
    }
  }
  const half = (info.width / 2) * info.height;
  return { left: left / half, right: right / half };
}

describe('mask convention: white repaints', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let image: string;
  let mask: string;

  beforeAll(async () => {
    stack = await startStack({ dotbase: { imageTools: sharpImageTools() } });
    image = (await stack.dotbase.blobs.put(await samplePng(), 'image/png', 'uploads')).key;
    mask = (await stack.dotbase.blobs.put(await sampleMask(), 'image/png', 'uploads')).key;
  });
  afterAll(() => stack.close());

  it('passes the mask unchanged to a model that repaints white (FLUX Fill Pro)', async () => {
    const created = await stack.dotbase.service.create(USER, { action: 'edit', model_id: 'flux-fill-pro', prompt: 'grass', input_images: [image], mask });
    const sent = stack.simulator.getPrediction(created.prediction_id!)?.input.mask as string;
    const { left, right } = await halves(sent);
    expect(left).toBeGreaterThan(200);
    expect(right).toBeLessThan(50);
  });

  it('inverts the mask for a model that repaints black (Ideogram)', async () => {
    const created = await stack.dotbase.service.create(USER, { action: 'create', model_id: 'ideogram-v3-turbo', prompt: 'grass', input_images: [image], mask });
    const sent = stack.simulator.getPrediction(created.prediction_id!)?.input.mask as string;
    const { left, right } = await halves(sent);
    expect(left).toBeLessThan(50);
    expect(right).toBeGreaterThan(200);
    const done = await stack.dotbase.service.wait(USER, created.id, { timeoutMs: 10_000 });
    expect(done?.status).toBe('completed');
  });
});
