import { describe, expect, it } from 'vitest';
import { pixelBombPng, sampleImage, SVG } from '../../test/images.js';
import { HttpError } from '../http/errors.js';
import { inspectImage } from './inspect.js';

const limits = { maxBytes: 1024 * 1024, maxPixels: 1_000_000 };

async function refusal(bytes: Uint8Array, custom = limits): Promise<HttpError> {
  const error = await inspectImage(bytes, custom).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('inspectImage', () => {
  it.each(['png', 'jpeg', 'webp', 'gif'] as const)('accepts %s and reports its type from the bytes', async (format) => {
    const result = await inspectImage(await sampleImage(format, 64, 48), limits);
    expect(result).toEqual({ contentType: format === 'jpeg' ? 'image/jpeg' : `image/${format}`, width: 64, height: 48 });
  });

  it('refuses SVG and other non-images by their bytes (415)', async () => {
    expect((await refusal(SVG)).status).toBe(415);
    expect((await refusal(new TextEncoder().encode('GIF? no, just text'))).status).toBe(415);
  });

  it('refuses a file whose magic bytes lie about the rest (422)', async () => {
    const png = await sampleImage('png', 32, 32);
    const broken = png.slice(0, 40);
    expect((await refusal(broken)).status).toBe(422);
  });

  it.each(['png', 'jpeg'] as const)('refuses a %s whose header is whole but whose data is cut off (422)', async (format) => {
    const whole = await sampleImage(format, 200, 200);
    const cut = whole.slice(0, Math.floor(whole.byteLength * 0.9));
    const error = await refusal(cut);
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/damaged or truncated/);
  });

  it('refuses bytes over the size limit (413) and empty files (422)', async () => {
    const png = await sampleImage('png', 64, 64);
    expect((await refusal(png, { maxBytes: png.byteLength - 1, maxPixels: 1e9 })).status).toBe(413);
    expect((await refusal(new Uint8Array())).status).toBe(422);
  });

  it('refuses a decompression bomb from its header, without decoding it', async () => {
    const bomb = pixelBombPng();
    expect(bomb.byteLength).toBeLessThan(100_000);
    const error = await refusal(bomb, { maxBytes: 1024 * 1024, maxPixels: 50_000_000 });
    expect(error.status).toBe(422);
    expect(error.code).toBe('image_too_large');
  });

  it('counts pixels against the limit exactly', async () => {
    const image = await sampleImage('png', 100, 100);
    await expect(inspectImage(image, { maxBytes: 1e6, maxPixels: 10_000 })).resolves.toMatchObject({ width: 100 });
    expect((await refusal(image, { maxBytes: 1e6, maxPixels: 9_999 })).code).toBe('image_too_large');
  });
});
