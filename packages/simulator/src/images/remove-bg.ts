import sharp, { type Sharp } from 'sharp';
import type { Background } from '../catalog/types.js';
import type { LoadedImage } from './load.js';

/** The mask is worked out at this size at most, then scaled up (smooth edges, bounded cost on big images). */
const ANALYSIS_SIDE = 512;
/** How far (RGB distance) a pixel may be from the border colour it was reached from and still count as background. */
const TOLERANCE = 60;

/**
 * Foreground mask (255 = keep): background is what a flood fill reaches from the image border through pixels
 * similar in colour to the border pixel the fill started from. Crude next to a segmentation model, but real:
 * a subject on a plain or gradient background comes out cleanly.
 */
function floodMask(rgb: Buffer, width: number, height: number): Buffer {
  const count = width * height;
  const background = new Uint8Array(count);
  const origin = new Int32Array(count);
  const queue = new Int32Array(count);
  let head = 0;
  let tail = 0;
  const visit = (pixel: number, from: number) => {
    if (background[pixel]) return;
    const a = pixel * 3;
    const b = from * 3;
    const dr = rgb[a]! - rgb[b]!;
    const dg = rgb[a + 1]! - rgb[b + 1]!;
    const db = rgb[a + 2]! - rgb[b + 2]!;
    if (dr * dr + dg * dg + db * db > TOLERANCE * TOLERANCE) return;
    background[pixel] = 1;
    origin[pixel] = from;
    queue[tail++] = pixel;
  };
  for (let x = 0; x < width; x++) {
    visit(x, x);
    visit((height - 1) * width + x, (height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width, y * width);
    visit(y * width + width - 1, y * width + width - 1);
  }
  while (head < tail) {
    const pixel = queue[head++]!;
    const from = origin[pixel]!;
    const x = pixel % width;
    if (x > 0) visit(pixel - 1, from);
    if (x < width - 1) visit(pixel + 1, from);
    if (pixel >= width) visit(pixel - width, from);
    if (pixel < count - width) visit(pixel + width, from);
  }
  const mask = Buffer.alloc(count);
  for (let i = 0; i < count; i++) mask[i] = background[i] ? 0 : 255;
  return mask;
}

async function foregroundMask(source: LoadedImage, reverse: boolean): Promise<Buffer> {
  const { data, info } = await sharp(source.bytes)
    .flatten({ background: '#ffffff' })
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const small = floodMask(data, info.width, info.height);
  const mask = sharp(small, { raw: { width: info.width, height: info.height, channels: 1 } })
    .resize(source.width, source.height, { fit: 'fill', kernel: 'linear' });
  // extractChannel keeps the mask one channel wide: libvips may widen a resized one-band image to sRGB.
  return (reverse ? mask.negate() : mask).extractChannel(0).raw().toBuffer();
}

const SOLID: Partial<Record<Background, string>> = { white: '#ffffff', green: '#00ff00' };

/** Removes the background: transparent (PNG alpha), a solid colour, the mask itself, a blurred or tinted background. */
export async function removeBackground(source: LoadedImage, background: Background, reverse: boolean): Promise<Sharp> {
  const mask = await foregroundMask(source, reverse);
  const raw = { raw: { width: source.width, height: source.height, channels: 1 as const } };
  if (background === 'map') return sharp(mask, raw);
  // sharp runs removeAlpha after joinChannel within one pipeline, so the RGB pixels are taken out first.
  const rgb = await sharp(source.bytes).removeAlpha().raw().toBuffer();
  const cutout = await sharp(rgb, { raw: { width: source.width, height: source.height, channels: 3 } }).joinChannel(mask, raw).png().toBuffer();
  if (background === 'transparent') return sharp(cutout);
  const solid = SOLID[background];
  if (solid) return sharp(cutout).flatten({ background: solid });
  const backdrop =
    background === 'blur'
      ? sharp(source.bytes).removeAlpha().blur(Math.max(2, Math.min(source.width, source.height) / 40))
      : sharp(source.bytes).removeAlpha().composite([{ input: { create: { width: source.width, height: source.height, channels: 4, background: { r: 0, g: 255, b: 0, alpha: 0.5 } } } }]);
  return sharp(await backdrop.png().toBuffer()).composite([{ input: cutout }]);
}
