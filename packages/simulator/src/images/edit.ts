import sharp, { type Sharp } from 'sharp';
import type { Size } from '../catalog/types.js';
import type { LoadedImage } from './load.js';
import { editOverlaySvg } from './picture.js';

/**
 * A visible "edit": the sources fill the canvas side by side (one source: the whole canvas), then a colour wash,
 * shapes and the prompt chosen by the prompt are laid over them.
 */
export async function editImage(sources: readonly LoadedImage[], prompt: string, seed: number, size: Size): Promise<Sharp> {
  // Each source is cropped to its slice first: a composite cannot resize its layers.
  const sliceWidth = Math.floor(size.width / sources.length);
  const slices = await Promise.all(
    sources.map(async (source, i) => {
      const width = i === sources.length - 1 ? size.width - sliceWidth * i : sliceWidth;
      const input = await sharp(source.bytes).resize(Math.max(1, width), size.height, { fit: 'cover' }).png().toBuffer();
      return { input, left: sliceWidth * i, top: 0 };
    }),
  );
  const overlay = { input: Buffer.from(editOverlaySvg(prompt, seed, size)), left: 0, top: 0 };
  const canvas = sharp({ create: { width: size.width, height: size.height, channels: 3, background: '#000000' } });
  return canvas.composite([...slices, overlay]);
}
