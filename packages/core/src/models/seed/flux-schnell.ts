import { z } from 'zod';
import { defineModel } from '../define.js';
import { noImages } from '../rules.js';
import { aspectRatio, numOutputs, outputFormat, seed } from '../unified.js';

const ASPECT_RATIOS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'] as const;

/** Black Forest Labs' distilled FLUX.1: 1–4 steps. Official model: no version needed. */
export const fluxSchnell = defineModel({
  id: 'flux-schnell',
  name: 'FLUX Schnell',
  description: 'Black Forest Labs FLUX.1 [schnell]: fast, good quality, 1–4 steps.',
  speed: 3,
  quality: 4,
  route: { kind: 'official', slug: 'black-forest-labs/flux-schnell' },
  actions: { create: noImages },
  prompt: { create: 'required' },
  settings: z.strictObject({
    aspect_ratio: aspectRatio(ASPECT_RATIOS, '1:1'),
    num_outputs: numOutputs(4),
    seed,
    output_format: outputFormat(['webp', 'jpg', 'png'], 'webp'),
    output_quality: z.int().min(0).max(100).default(80).describe('Compression quality for jpg/webp (0–100).'),
    num_inference_steps: z.int().min(1).max(4).default(4),
    megapixels: z.enum(['1', '0.25']).default('1').describe('Approximate output size in megapixels.'),
    go_fast: z.boolean().default(true).describe('Faster, fp8-quantized run.'),
  }),
  toInput: ({ prompt, settings }) => ({ prompt, ...settings }),
  output: 'list',
});
