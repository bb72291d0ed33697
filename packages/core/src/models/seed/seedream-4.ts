import { z } from 'zod';
import { defineModel } from '../define.js';
import { noImages, takesImages } from '../rules.js';
import type { InputIssue } from '../types.js';
import { numOutputs, optionalAspectRatio } from '../unified.js';

const ASPECT_RATIOS = ['match_input_image', '1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;
/** The model refuses runs where input images plus generated images exceed 15. */
const MAX_TOTAL_IMAGES = 15;
const DEFAULT_CUSTOM_SIDE = 2048;

function customSide(name: string) {
  return z.int().min(1024).max(4096).optional().describe(`${name} in pixels with size "custom" (default ${DEFAULT_CUSTOM_SIDE}).`);
}

/**
 * ByteDance SeeDream 4: creates and edits (1–10 reference images) up to 4K. Several outputs come from its "group
 * generation": `num_outputs` > 1 becomes `max_images` with `sequential_image_generation: 'auto'`.
 */
export const seedream4 = defineModel({
  id: 'seedream-4',
  name: 'SeeDream 4',
  description: 'ByteDance SeeDream 4: up to 4K, creates and edits from 1–10 reference images.',
  speed: 2,
  quality: 5,
  route: { kind: 'official', slug: 'bytedance/seedream-4' },
  actions: { create: noImages, edit: takesImages(1, 10) },
  prompt: { create: 'required', edit: 'required' },
  settings: z.strictObject({
    aspect_ratio: optionalAspectRatio(ASPECT_RATIOS).describe('Aspect ratio; default: match_input_image when editing, 1:1 when creating. Not with size "custom".'),
    num_outputs: numOutputs(MAX_TOTAL_IMAGES).describe('Up to how many images to make; the model may make fewer.'),
    size: z.enum(['1K', '2K', '4K', 'custom']).default('2K').describe('Resolution: 1K, 2K, 4K, or custom width/height.'),
    width: customSide('Width'),
    height: customSide('Height'),
    enhance_prompt: z.boolean().default(true).describe('Let the model refine the prompt: better results, slower.'),
  }),
  check({ settings, images }) {
    const issues: InputIssue[] = [];
    if (settings.size === 'custom' && settings.aspect_ratio !== undefined) {
      issues.push({ path: 'settings.aspect_ratio', message: 'is not used with size "custom"; give width/height instead' });
    }
    if (settings.size !== 'custom') {
      for (const name of ['width', 'height'] as const) {
        if (settings[name] !== undefined) issues.push({ path: `settings.${name}`, message: 'only applies with size "custom"' });
      }
    }
    if (settings.aspect_ratio === 'match_input_image' && images.length === 0) {
      const allowed = ASPECT_RATIOS.filter((ratio) => ratio !== 'match_input_image');
      issues.push({ path: 'settings.aspect_ratio', message: `match_input_image needs an input image; use one of: ${allowed.join(', ')}`, allowed });
    }
    if (images.length + settings.num_outputs > MAX_TOTAL_IMAGES) {
      issues.push({
        path: 'settings.num_outputs',
        message: `input images plus outputs may not exceed ${MAX_TOTAL_IMAGES}; with ${images.length} input images, at most ${MAX_TOTAL_IMAGES - images.length}`,
      });
    }
    return issues;
  },
  toInput({ prompt, settings, images }) {
    const custom = settings.size === 'custom';
    return {
      prompt,
      image_input: images,
      size: settings.size,
      ...(custom
        ? { width: settings.width ?? DEFAULT_CUSTOM_SIDE, height: settings.height ?? DEFAULT_CUSTOM_SIDE }
        : { aspect_ratio: settings.aspect_ratio ?? (images.length > 0 ? 'match_input_image' : '1:1') }),
      max_images: settings.num_outputs,
      sequential_image_generation: settings.num_outputs > 1 ? 'auto' : 'disabled',
      enhance_prompt: settings.enhance_prompt,
    };
  },
  output: 'list',
});
