import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import { outputFormat, seed, singleOutput } from '../unified.js';

/** Black Forest Labs FLUX.1 Fill [pro]: repaints the WHITE part of the mask, as dotbase masks already are. */
export const fluxFillPro = defineModel({
  id: 'flux-fill-pro',
  name: 'FLUX Fill Pro',
  description: 'Black Forest Labs FLUX.1 Fill [pro]: inpainting and outpainting with a mask (white = repaint).',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'black-forest-labs/flux-fill-pro' },
  actions: { edit: takesImages(1, 1, 'required mask') },
  prompt: { edit: 'required' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    seed,
    output_format: outputFormat(['jpg', 'png'], 'jpg'),
    outpaint: z
      .enum(['None', 'Zoom out 1.5x', 'Zoom out 2x', 'Make square', 'Left outpaint', 'Right outpaint', 'Top outpaint', 'Bottom outpaint'])
      .default('None')
      .describe('Extend the image beyond its borders.'),
    steps: z.int().min(15).max(50).default(50),
    guidance: z.number().min(1.5).max(100).default(60).describe('Higher follows the prompt more closely.'),
    safety_tolerance: z.int().min(1).max(6).default(2).describe('1 is the strictest, 6 the most permissive.'),
    prompt_upsampling: z.boolean().default(false).describe('Let the model expand the prompt.'),
  }),
  toInput({ prompt, settings, images, mask }) {
    const { num_outputs: _one, ...rest } = settings;
    return { prompt, image: images[0], mask, ...rest };
  },
  output: 'one',
  maskRepaint: 'white',
});
