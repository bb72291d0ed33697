import sharp from 'sharp';
import type { ImageFormat, ImageRef, RenderPlan, Size } from '../catalog/types.js';
import { sizeForAspect } from '../catalog/sizes.js';
import { editImage } from './edit.js';
import { contentTypeOf, encode } from './encode.js';
import { fillImage } from './fill.js';
import { loadImage, type ImageLoaderOptions, type LoadedImage } from './load.js';
import { pictureSvg } from './picture.js';
import { removeBackground } from './remove-bg.js';
import { RenderCache } from './render-cache.js';
import { upscaleImage } from './upscale.js';

/** One output file: bytes made now, or (for generated pictures) a renderer called on first download. */
export interface RenderedOutput {
  format: ImageFormat;
  contentType: string;
  bytes?: Buffer;
  render?: () => Promise<Buffer>;
}

export interface RendererOptions extends ImageLoaderOptions {
  /** Multiplies the sizes of generated pictures (not of images derived from inputs). */
  outputScale: number;
  renderCacheBytes: number;
}

export interface Renderer {
  /** Loads the plan's inputs and makes its outputs; throws (with a message fit for `prediction.error`) when it cannot. */
  render(plan: RenderPlan): Promise<RenderedOutput[]>;
}

const MIN_SIDE = 8;

export function createRenderer(options: RendererOptions): Renderer {
  const cache = new RenderCache(options.renderCacheBytes);
  const scaled = (size: Size): Size => ({
    width: Math.max(MIN_SIDE, Math.round(size.width * options.outputScale)),
    height: Math.max(MIN_SIDE, Math.round(size.height * options.outputScale)),
  });
  const load = (ref: ImageRef): Promise<LoadedImage> => loadImage(ref, options);
  const output = (format: ImageFormat, bytes: Buffer): RenderedOutput => ({ format, contentType: contentTypeOf(format), bytes });

  return {
    async render(plan) {
      switch (plan.kind) {
        case 'generate': {
          const size = scaled(plan.size);
          return Array.from({ length: plan.count }, (_, i) => {
            const seed = plan.seed + i;
            const key = `${plan.prompt}\u0000${seed}\u0000${size.width}x${size.height}\u0000${plan.format}\u0000${plan.quality ?? ''}`;
            const draw = () => encode(sharp(Buffer.from(pictureSvg(plan.prompt, seed, size))), plan.format, plan.quality);
            return { format: plan.format, contentType: contentTypeOf(plan.format), render: () => cache.get(key, draw) };
          });
        }
        case 'edit': {
          const sources = await Promise.all(plan.sources.map(load));
          const first = sources[0]!;
          const size = scaled('matchInput' in plan.size ? sizeForAspect(first.width / first.height, plan.size.megapixels) : plan.size);
          return Promise.all(
            Array.from({ length: plan.count }, async (_, i) =>
              output(plan.format, await encode(await editImage(sources, plan.prompt, plan.seed + i, size), plan.format, plan.quality)),
            ),
          );
        }
        case 'fill': {
          const [image, mask] = await Promise.all([load(plan.image), plan.mask ? load(plan.mask) : undefined]);
          const { prompt, seed, repaint, resizeMask, outpaint } = plan;
          const filled = await fillImage({ prompt, seed, image, repaint, resizeMask, ...(mask ? { mask } : {}), ...(outpaint ? { outpaint } : {}) });
          return [output(plan.format, await encode(filled, plan.format))];
        }
        case 'upscale': {
          const source = await load(plan.image);
          return [output(plan.format, await encode(upscaleImage(source, plan.scale), plan.format, plan.quality))];
        }
        case 'remove-bg': {
          const source = await load(plan.image);
          return [output(plan.format, await encode(await removeBackground(source, plan.background, plan.reverse), plan.format))];
        }
      }
    },
  };
}
