import { z } from 'zod';
import { defineModel } from '../define.js';
import { noImages } from '../rules.js';
import { aspectRatio, outputFormat, singleOutput } from '../unified.js';

/** Google Imagen 4: slow, high quality; no seed on Replicate. */
export const imagen4 = defineModel({
  id: 'imagen-4',
  name: 'Imagen 4',
  description: 'Google Imagen 4: high quality, slower.',
  speed: 1,
  quality: 5,
  route: { kind: 'official', slug: 'google/imagen-4' },
  actions: { create: noImages },
  prompt: { create: 'required' },
  settings: z.strictObject({
    aspect_ratio: aspectRatio(['1:1', '9:16', '16:9', '3:4', '4:3'], '1:1'),
    num_outputs: singleOutput,
    output_format: outputFormat(['jpg', 'png'], 'jpg'),
    safety_filter_level: z
      .enum(['block_low_and_above', 'block_medium_and_above', 'block_only_high'])
      .default('block_only_high')
      .describe('block_low_and_above is the strictest, block_only_high the most permissive.'),
  }),
  toInput({ prompt, settings }) {
    const { num_outputs: _one, ...rest } = settings;
    return { prompt, ...rest };
  },
  output: 'one',
});
