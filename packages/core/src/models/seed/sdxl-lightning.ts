import { z } from 'zod';
import { defineModel } from '../define.js';
import { noImages } from '../rules.js';
import { dimensionsFor, numOutputs, optionalAspectRatio, positiveSeed } from '../unified.js';

const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '5:4', '4:5', '21:9', '9:21'] as const;
const SCHEDULERS = ['DDIM', 'DPMSolverMultistep', 'HeunDiscrete', 'KarrasDPM', 'K_EULER_ANCESTRAL', 'K_EULER', 'PNDM', 'DPM++2MSDE'] as const;
/** SDXL was trained at about one megapixel; the model takes 256–1280 per side, and latents need multiples of 8. */
const PIXELS = { area: 1024 * 1024, min: 256, max: 1280, multiple: 8 };
const DEFAULT_SIDE = 1024;

function side(name: string) {
  return z.int().min(PIXELS.min).max(PIXELS.max).multipleOf(PIXELS.multiple).optional().describe(`${name} in pixels (default ${DEFAULT_SIDE}); not with aspect_ratio.`);
}

/** ByteDance's 4-step distilled SDXL: a community model, so it is called by pinned version. */
export const sdxlLightning = defineModel({
  id: 'sdxl-lightning',
  name: 'SDXL Lightning',
  description: 'ByteDance SDXL Lightning: fast, 4 steps.',
  speed: 3,
  quality: 3,
  route: { kind: 'version', slug: 'bytedance/sdxl-lightning-4step', version: '6f7a773af6fc3e8de9d5a3c00be77c17308914bf67772726aff83496ba1e3bbe' },
  actions: { create: noImages },
  prompt: { create: 'required' },
  settings: z.strictObject({
    aspect_ratio: optionalAspectRatio(ASPECT_RATIOS),
    width: side('Width'),
    height: side('Height'),
    num_outputs: numOutputs(4),
    // Its Cog code takes a seed <= 0 (its default is 0) as "draw one", so 0 would not reproduce anything.
    seed: positiveSeed,
    negative_prompt: z.string().default('worst quality, low quality'),
    scheduler: z.enum(SCHEDULERS).default('K_EULER'),
    num_inference_steps: z.int().min(1).max(10).default(4).describe('The model is distilled for 4 steps.'),
    guidance_scale: z.number().min(0).max(50).default(0).describe('Lightning models work best without guidance (0).'),
  }),
  check({ settings }) {
    // The model has no aspect ratio field: a ratio becomes width/height, so explicit sizes would be overwritten.
    if (settings.aspect_ratio === undefined) return [];
    return (['width', 'height'] as const)
      .filter((name) => settings[name] !== undefined)
      .map((name) => ({ path: `settings.${name}`, message: `cannot be combined with aspect_ratio; give either aspect_ratio or width/height` }));
  },
  toInput({ prompt, settings }) {
    const { aspect_ratio, width, height, ...rest } = settings;
    const size = aspect_ratio ? dimensionsFor(aspect_ratio, PIXELS) : { width: width ?? DEFAULT_SIDE, height: height ?? DEFAULT_SIDE };
    return { prompt, ...size, ...rest };
  },
  output: 'list',
});
