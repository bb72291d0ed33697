import sharp, { type Sharp } from 'sharp';
import type { LoadedImage } from './load.js';

/** Larger outputs would take gigabytes of memory; real upscalers run out of GPU memory long before this. */
const MAX_OUTPUT_PIXELS = 64 * 1024 * 1024;

/** A real resize by `scale` (Lanczos, lightly sharpened): the output is the input's size × scale. */
export function upscaleImage(source: LoadedImage, scale: number): Sharp {
  const width = Math.round(source.width * scale);
  const height = Math.round(source.height * scale);
  if (width < 1 || height < 1) throw new Error(`scale ${scale} would make an empty image from ${source.width}x${source.height}`);
  if (width * height > MAX_OUTPUT_PIXELS) {
    throw new Error(`CUDA out of memory: a ${source.width}x${source.height} image cannot be upscaled ${scale}x (max ${MAX_OUTPUT_PIXELS} output pixels)`);
  }
  return sharp(source.bytes).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).sharpen({ sigma: 0.6 });
}
