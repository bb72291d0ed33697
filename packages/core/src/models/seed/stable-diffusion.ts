import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import { aspectRatio, outputFormat, seed, singleOutput } from '../unified.js';

const ASPECT_RATIOS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '9:16', '9:21'] as const;
const DEFAULT_PROMPT_STRENGTH = 0.85;

/**
 * Stability's SD 3.5 Large. Besides text to image it does image to image: one optional input image, reworked as
 * much as `prompt_strength` says.
 */
export const stableDiffusion = defineModel({
  id: 'stable-diffusion',
  name: 'Stable Diffusion',
  description: 'Stability AI Stable Diffusion 3.5 Large: the classic; optional input image for image-to-image.',
  speed: 2,
  quality: 3,
  route: { kind: 'official', slug: 'stability-ai/stable-diffusion-3.5-large' },
  actions: { create: takesImages(0, 1) },
  prompt: { create: 'required' },
  settings: z.strictObject({
    aspect_ratio: aspectRatio(ASPECT_RATIOS, '1:1'),
    num_outputs: singleOutput,
    seed,
    output_format: outputFormat(['webp', 'jpg', 'png'], 'webp'),
    negative_prompt: z.string().optional().describe('What the image should not show.'),
    cfg: z.number().min(1).max(10).default(5).describe('How closely to follow the prompt.'),
    prompt_strength: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(`With an input image: how much to change it, 0 (keep) to 1 (replace); default ${DEFAULT_PROMPT_STRENGTH}.`),
  }),
  check({ settings, images }) {
    // Without an input image the model ignores prompt_strength; refuse it rather than drop it silently.
    if (settings.prompt_strength === undefined || images.length > 0) return [];
    return [{ path: 'settings.prompt_strength', message: 'only applies with an input image (image-to-image)' }];
  },
  toInput({ prompt, settings, images }) {
    const { num_outputs: _one, prompt_strength, ...rest } = settings;
    const [image] = images;
    return {
      prompt,
      ...rest,
      ...(image !== undefined ? { image, prompt_strength: prompt_strength ?? DEFAULT_PROMPT_STRENGTH } : {}),
    };
  },
  output: 'one',
});
