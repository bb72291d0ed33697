import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { drawnSeed, outputFormat, singleOutput } from '../unified.js';

/**
 * Clarity Upscaler: diffusion-based upscaling that re-imagines detail (portraits, faces, products). The prompt is
 * optional and steers the added detail; without one the model uses its own quality prompt. Its own default seed is a
 * fixed 1337, so a seed left out is drawn by dotbase (`drawnSeed`) to keep "left out = random" true.
 */
export const clarityUpscaler = defineModel({
  id: 'clarity-upscaler',
  name: 'Clarity Upscaler',
  description: 'Clarity Upscaler: 1–4x with generated detail; portraits, faces, products.',
  speed: 1,
  quality: 5,
  route: { kind: 'version', slug: 'philz1337x/clarity-upscaler', version: 'dfad41707589d68ecdccd1dfa600d55a208f9310748e44bfe35b4a6291453d5e' },
  actions: { upscale: oneImage },
  prompt: { upscale: 'optional' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    seed: drawnSeed,
    output_format: outputFormat(['webp', 'jpg', 'png'], 'png'),
    scale_factor: z.number().min(1).max(4).default(2).describe('Upscale factor (1–4).'),
    creativity: z.number().min(0).max(1).default(0.35).describe('How much new detail to invent.'),
    resemblance: z.number().min(0).max(3).default(0.6).describe('How closely to keep the original.'),
    dynamic: z.number().min(1).max(50).default(6).describe('HDR / contrast strength.'),
    num_inference_steps: z.int().min(1).max(100).default(18),
    sharpen: z.number().min(0).max(10).default(0),
    handfix: z.enum(['disabled', 'hands_only', 'image_and_hands']).default('disabled').describe('Repair hands.'),
    negative_prompt: z.string().optional().describe('What the added detail should avoid.'),
  }),
  toInput({ prompt, settings, images }) {
    const { num_outputs: _one, ...rest } = settings;
    return { image: images[0], prompt, ...rest };
  },
  // Replicate answers a list (of one image) for this model.
  output: 'list',
});
