import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import { outputFormat, seed, singleOutput } from '../unified.js';

const OUTPAINTS = ['None', 'Zoom out 1.5x', 'Zoom out 2x', 'Make square', 'Left outpaint', 'Right outpaint', 'Top outpaint', 'Bottom outpaint'] as const;

/**
 * Black Forest Labs FLUX.1 Fill [pro]: repaints the WHITE part of the mask, as dotbase masks already are. Two modes,
 * chosen by `outpaint`: inpainting ("None") repaints where the mask says and needs one; outpainting grows the canvas
 * and repaints only the new border, and Replicate ignores any mask then ("Mask will be ignored if outpainting is
 * used"), so a mask is refused with outpaint rather than silently dropped. The mask is therefore optional at the
 * action level, and `check` enforces which mode needs it.
 */
export const fluxFillPro = defineModel({
  id: 'flux-fill-pro',
  name: 'FLUX Fill Pro',
  description: 'Black Forest Labs FLUX.1 Fill [pro]: inpainting with a mask (white = repaint), or outpainting without one.',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'black-forest-labs/flux-fill-pro' },
  actions: { edit: takesImages(1, 1, 'optional mask') },
  prompt: { edit: 'required' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    seed,
    output_format: outputFormat(['jpg', 'png'], 'jpg'),
    outpaint: z
      .enum(OUTPAINTS)
      .default('None')
      .describe('Extend the image beyond its borders ("None": inpaint where the mask is white, which then needs a mask; any other: no mask).'),
    steps: z.int().min(15).max(50).default(50),
    guidance: z.number().min(1.5).max(100).default(60).describe('Higher follows the prompt more closely.'),
    safety_tolerance: z.int().min(1).max(6).default(2).describe('1 is the strictest, 6 the most permissive.'),
    prompt_upsampling: z.boolean().default(false).describe('Let the model expand the prompt.'),
  }),
  check({ settings, mask }) {
    const outpainting = settings.outpaint !== 'None';
    if (outpainting && mask !== undefined) {
      return [{ path: 'mask', message: `is ignored by FLUX Fill Pro when outpainting ("${settings.outpaint}"); leave the mask out, or set outpaint to "None" to inpaint` }];
    }
    if (!outpainting && mask === undefined) {
      return [{ path: 'mask', message: 'FLUX Fill Pro needs a mask to inpaint (white = repaint, black = keep), or an outpaint setting to extend the image' }];
    }
    return [];
  },
  toInput({ prompt, settings, images, mask }) {
    const { num_outputs: _one, ...rest } = settings;
    return { prompt, image: images[0], ...(mask !== undefined ? { mask } : {}), ...rest };
  },
  output: 'one',
  maskRepaint: 'white',
});
