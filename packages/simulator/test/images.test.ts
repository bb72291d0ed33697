import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { dataUrl, download, runModel, runVersion, sizeOf, startFastSimulator, subjectImage } from './helpers.js';

const ESRGAN = 'b3ef194191d13140337468c916c2c5b96dd0cb06dffc032a022a31807f6a5ea8';
const CLARITY = 'dfad41707589d68ecdccd1dfa600d55a208f9310748e44bfe35b4a6291453d5e';
const BG_REMOVER = 'a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc';
const BIREFNET = 'f74986db0355b58403ed20963af156525e2891ea3c2d499bfbfb2a28cd87c5d7';
const SDXL = '6f7a773af6fc3e8de9d5a3c00be77c17308914bf67772726aff83496ba1e3bbe';

/** 0.25 keeps generated pictures small; sizes below are the models' real sizes × 0.25. */
const SCALE = 0.25;

async function outputBytes(output: string | string[] | null, index = 0): Promise<Buffer> {
  const url = Array.isArray(output) ? output[index] : output;
  if (typeof url !== 'string') throw new Error(`no output URL in ${JSON.stringify(output)}`);
  const { bytes, status } = await download(url);
  expect(status).toBe(200);
  return bytes;
}

async function rgba(bytes: Buffer) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4));
  return { data, width: info.width, height: info.height, at };
}

function solid(width: number, height: number, colour: string, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}

describe('generated images', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startFastSimulator({ outputScale: SCALE });
  });
  afterAll(() => sim.close());

  it.each([
    ['1:1', 1],
    ['16:9', 16 / 9],
    ['9:21', 9 / 21],
  ])('FLUX Schnell %s has that aspect ratio at about 1 MP (× outputScale)', async (aspect, ratio) => {
    const done = await runModel(sim, 'black-forest-labs/flux-schnell', { prompt: 'a fox', aspect_ratio: aspect });
    const { width, height } = await sizeOf(await outputBytes(done.output));
    expect(width / height).toBeCloseTo(ratio, 1);
    expect((width * height) / (SCALE * SCALE)).toBeGreaterThan(0.9 * 1024 * 1024);
    expect((width * height) / (SCALE * SCALE)).toBeLessThan(1.1 * 1024 * 1024);
  });

  it('takes width/height, size presets, 1K and custom sizes literally', async () => {
    const sdxl = await runVersion(sim, SDXL, { prompt: 'a boat', width: 512, height: 768, num_outputs: 2 });
    expect(sdxl.output).toHaveLength(2);
    expect(await sizeOf(await outputBytes(sdxl.output, 1))).toMatchObject({ width: 128, height: 192, format: 'png' });
    const recraft = await runModel(sim, 'recraft-ai/recraft-v3', { prompt: 'a logo', size: '1365x1024' });
    expect(await sizeOf(await outputBytes(recraft.output))).toMatchObject({ width: 341, height: 256, format: 'webp' });
    const seedream = await runModel(sim, 'bytedance/seedream-4', { prompt: 'a city', size: '1K', aspect_ratio: '1:1', sequential_image_generation: 'auto', max_images: 3 });
    expect(seedream.output).toHaveLength(3);
    expect(await sizeOf(await outputBytes(seedream.output, 2))).toMatchObject({ width: 256, height: 256, format: 'jpeg' });
    const custom = await runModel(sim, 'bytedance/seedream-4', { prompt: 'a city', size: 'custom', width: 2048, height: 1024 });
    expect(await sizeOf(await outputBytes(custom.output))).toMatchObject({ width: 512, height: 256 });
  });

  it.each([
    ['png', 'png', 'image/png'],
    ['jpg', 'jpeg', 'image/jpeg'],
    ['webp', 'webp', 'image/webp'],
  ])('honours output_format %s (file, extension and content type)', async (format, sharpFormat, contentType) => {
    const done = await runModel(sim, 'black-forest-labs/flux-schnell', { prompt: 'a fox', output_format: format });
    const url = (done.output as string[])[0]!;
    expect(url.endsWith(`.${format}`)).toBe(true);
    const file = await download(url);
    expect(file.contentType).toBe(contentType);
    expect((await sizeOf(file.bytes)).format).toBe(sharpFormat);
  });

  it('draws the same picture for the same prompt and seed, another for another seed; says it is simulated', async () => {
    const a = await outputBytes((await runModel(sim, 'google/imagen-4', { prompt: 'a quiet lake', output_format: 'png' })).output);
    const b = await outputBytes((await runModel(sim, 'google/imagen-4', { prompt: 'a quiet lake', output_format: 'png' })).output);
    expect(a.equals(b)).toBe(true);
    const seeded = (seed: number) => runModel(sim, 'black-forest-labs/flux-schnell', { prompt: 'a quiet lake', seed, output_format: 'png' });
    const c = await outputBytes((await seeded(1)).output);
    const d = await outputBytes((await seeded(2)).output);
    expect(c.equals(d)).toBe(false);
    const { exif } = await sharp(a).metadata();
    expect(exif?.toString('latin1')).toContain('SIMULATED');
  });
});

describe('image operations', () => {
  let sim: RunningSimulator;
  let subject: Buffer;
  beforeAll(async () => {
    sim = await startFastSimulator({ outputScale: SCALE });
    subject = await subjectImage(40, 30);
  });
  afterAll(() => sim.close());

  it('upscales by scale / scale_factor: output size = input size × scale', async () => {
    const esrgan = await runVersion(sim, ESRGAN, { image: dataUrl(subject), scale: 3 });
    expect(await sizeOf(await outputBytes(esrgan.output))).toMatchObject({ width: 120, height: 90, format: 'png' });
    const fractional = await runVersion(sim, ESRGAN, { image: dataUrl(subject), scale: 2.5 });
    expect(await sizeOf(await outputBytes(fractional.output))).toMatchObject({ width: 100, height: 75 });
    const clarity = await runVersion(sim, CLARITY, { image: dataUrl(subject), scale_factor: 4, output_format: 'jpg' });
    expect(clarity.output).toHaveLength(1);
    expect(await sizeOf(await outputBytes(clarity.output))).toMatchObject({ width: 160, height: 120, format: 'jpeg' });
    // The upscale is a real resize: the centre keeps the subject's colour.
    const { at, width, height } = await rgba(await outputBytes(esrgan.output));
    expect(at(width / 2, height / 2).slice(0, 3)).toEqual([255, 204, 0]);
    const empty = await runVersion(sim, ESRGAN, { image: dataUrl(subject), scale: 0 });
    expect(empty.status).toBe('failed');
  });

  it('removes the background: PNG with alpha, transparent corners, opaque subject', async () => {
    for (const done of [
      await runVersion(sim, BG_REMOVER, { image: dataUrl(subject) }),
      await runVersion(sim, BIREFNET, { image: dataUrl(subject) }),
      await runModel(sim, 'bria/remove-background', { image_url: dataUrl(await subjectImage(40, 30, 'jpeg'), 'image/jpeg') }),
    ]) {
      const bytes = await outputBytes(done.output);
      expect(await sizeOf(bytes)).toMatchObject({ width: 40, height: 30, format: 'png', hasAlpha: true });
      const { at } = await rgba(bytes);
      for (const [x, y] of [[0, 0], [39, 0], [0, 29], [39, 29]] as const) expect(at(x, y)[3]).toBe(0);
      expect(at(20, 15)[3]).toBe(255);
    }
  });

  it('puts the subject on white, or answers the mask, or removes the subject when reversed', async () => {
    const white = await outputBytes((await runVersion(sim, BG_REMOVER, { image: dataUrl(subject), background_type: 'white' })).output);
    expect((await rgba(white)).at(0, 0)).toEqual([255, 255, 255, 255]);
    const map = await rgba(await outputBytes((await runVersion(sim, BG_REMOVER, { image: dataUrl(subject), background_type: 'map' })).output));
    expect(map.at(0, 0).slice(0, 3)).toEqual([0, 0, 0]);
    expect(map.at(20, 15).slice(0, 3)).toEqual([255, 255, 255]);
    const reversed = await rgba(await outputBytes((await runVersion(sim, BG_REMOVER, { image: dataUrl(subject), reverse: true })).output));
    expect(reversed.at(0, 0)[3]).toBe(255);
    expect(reversed.at(20, 15)[3]).toBe(0);
  });

  it('FLUX Fill Pro changes only where the mask is white', async () => {
    const image = await solid(48, 32, '#336699');
    const mask = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#000000' } })
      .composite([{ input: await solid(16, 16, '#ffffff'), left: 16, top: 8 }])
      .png()
      .toBuffer();
    const done = await runModel(sim, 'black-forest-labs/flux-fill-pro', { prompt: 'a window', image: dataUrl(image), mask: dataUrl(mask), output_format: 'png' });
    const out = await rgba(await outputBytes(done.output));
    expect([out.width, out.height]).toEqual([48, 32]);
    let changedInside = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 48; x++) {
        const inside = x >= 16 && x < 32 && y >= 8 && y < 24;
        const same = out.at(x, y).slice(0, 3).join() === '51,102,153';
        if (inside && !same) changedInside++;
        if (!inside) expect(same).toBe(true);
      }
    }
    expect(changedInside).toBeGreaterThan(16 * 16 * 0.5);
  });

  it('Ideogram inpaints where the mask is black; FLUX Fill refuses a mask of another size', async () => {
    const image = await solid(32, 32, '#808080');
    const mask = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ffffff' } })
      .composite([{ input: await solid(16, 32, '#000000'), left: 0, top: 0 }])
      .png()
      .toBuffer();
    const ideogram = await rgba(await outputBytes((await runModel(sim, 'ideogram-ai/ideogram-v3-turbo', { prompt: 'x', image: dataUrl(image), mask: dataUrl(mask) })).output));
    expect(ideogram.at(24, 16).slice(0, 3)).toEqual([128, 128, 128]);
    expect(ideogram.at(8, 16).slice(0, 3)).not.toEqual([128, 128, 128]);
    const mismatch = await runModel(sim, 'black-forest-labs/flux-fill-pro', { prompt: 'x', image: dataUrl(image), mask: dataUrl(await solid(16, 16, '#ffffff')) });
    expect(mismatch.status).toBe('failed');
    expect(mismatch.error).toContain('same size');
  });

  it('outpaints: Zoom out 2x doubles the canvas and keeps the original in the middle', async () => {
    const image = await solid(20, 10, '#aa2200');
    const done = await runModel(sim, 'black-forest-labs/flux-fill-pro', { prompt: 'more sky', image: dataUrl(image), outpaint: 'Zoom out 2x', output_format: 'png' });
    const out = await rgba(await outputBytes(done.output));
    expect([out.width, out.height]).toEqual([40, 20]);
    expect(out.at(20, 10).slice(0, 3)).toEqual([170, 34, 0]);
  });

  it('edits visibly, matching the input aspect ratio; Multi-Image Kontext combines both inputs', async () => {
    const red = await solid(64, 48, '#ff0000');
    const blue = await solid(64, 48, '#0000ff');
    const kontext = await runModel(sim, 'black-forest-labs/flux-kontext-pro', { prompt: 'make it snowy', input_image: dataUrl(red) });
    const edited = await rgba(await outputBytes(kontext.output));
    expect(edited.width / edited.height).toBeCloseTo(64 / 48, 1);
    expect(edited.at(edited.width / 2, edited.height / 2).slice(0, 3)).not.toEqual([255, 0, 0]);

    const multi = await runModel(sim, 'flux-kontext-apps/multi-image-kontext-pro', { prompt: 'put them together', input_image_1: dataUrl(red), input_image_2: dataUrl(blue), aspect_ratio: '1:1' });
    const combined = await rgba(await outputBytes(multi.output));
    const meanOf = (x0: number, x1: number, channel: number) => {
      let sum = 0;
      let count = 0;
      for (let y = Math.floor(combined.height * 0.3); y < combined.height * 0.7; y++) {
        for (let x = x0; x < x1; x++, count++) sum += combined.at(x, y)[channel]!;
      }
      return sum / count;
    };
    const half = combined.width / 2;
    expect(meanOf(0, half, 0)).toBeGreaterThan(meanOf(0, half, 2));
    expect(meanOf(half, combined.width, 2)).toBeGreaterThan(meanOf(half, combined.width, 0));
  });

  it('Nano Banana and SeeDream edit when given image_input', async () => {
    const banana = await runModel(sim, 'google/nano-banana', { prompt: 'add a hat', image_input: [dataUrl(subject), dataUrl(subject)] });
    expect(typeof banana.output).toBe('string');
    expect(banana.logs).toContain('Using seed');
    const seedream = await runModel(sim, 'bytedance/seedream-4', { prompt: 'add a hat', image_input: [dataUrl(subject)], size: '1K' });
    const { width, height } = await sizeOf(await outputBytes(seedream.output));
    expect(width / height).toBeCloseTo(40 / 30, 1);
  });
});
