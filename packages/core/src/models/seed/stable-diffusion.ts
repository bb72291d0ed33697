import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import type { InputIssue } from '../types.js';
import { optionalAspectRatio, outputFormat, seed, singleOutput } from '../unified.js';

const ASPECT_RATIOS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '9:16', '9:21'] as const;
const DEFAULT_PROMPT_STRENGTH = 0.85;
const DEFAULT_ASPECT_RATIO = '1:1';

/**
 * Stability's SD 3.5 Large. Besides text to image it does image to image: one optional input image, reworked as
 * much as `prompt_strength` says. The output then takes the input image's aspect ratio and the model ignores
 * `aspect_ratio`, so the ratio is optional: sent (default 1:1) only without an image, refused with one.
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
    aspect_ratio: optionalAspectRatio(ASPECT_RATIOS).describe(`Aspect ratio (default ${DEFAULT_ASPECT_RATIO}); not with an input image, whose ratio the output keeps.`),
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
    // Each field the model would ignore in this mode is refused rather than dropped silently.
    const issues: InputIssue[] = [];
    if (images.length === 0 && settings.prompt_strength !== undefined) {
      issues.push({ path: 'settings.prompt_strength', message: 'only applies with an input image (image-to-image)' });
    }
    if (images.length > 0 && settings.aspect_ratio !== undefined) {
      issues.push({ path: 'settings.aspect_ratio', message: 'does not apply with an input image (the output keeps its aspect ratio)' });
    }
    return issues;
  },
  toInput({ prompt, settings, images }) {
    const { num_outputs: _one, prompt_strength, aspect_ratio, ...rest } = settings;
    const [image] = images;
    return {
      prompt,
      ...rest,
      ...(image !== undefined
        ? { image, prompt_strength: prompt_strength ?? DEFAULT_PROMPT_STRENGTH }
        : { aspect_ratio: aspect_ratio ?? DEFAULT_ASPECT_RATIO }),
    };
  },
  output: 'one',
});
