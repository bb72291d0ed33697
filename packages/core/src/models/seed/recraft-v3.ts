import { z } from 'zod';
import { defineModel } from '../define.js';
import { noImages } from '../rules.js';
import { optionalAspectRatio, singleOutput } from '../unified.js';

/** Recraft's own "Not set" value is how dotbase leaves aspect_ratio out, so it is not offered. */
const ASPECT_RATIOS = ['1:1', '4:3', '3:4', '3:2', '2:3', '16:9', '9:16', '1:2', '2:1', '7:5', '5:7', '4:5', '5:4', '3:5', '5:3'] as const;
const SIZES = [
  '1024x1024', '1365x1024', '1024x1365', '1536x1024', '1024x1536', '1820x1024', '1024x1820', '1024x2048',
  '2048x1024', '1434x1024', '1024x1434', '1024x1280', '1280x1024', '1024x1707', '1707x1024',
] as const;
const STYLES = [
  'any', 'realistic_image', 'digital_illustration',
  'digital_illustration/pixel_art', 'digital_illustration/hand_drawn', 'digital_illustration/grain',
  'digital_illustration/infantile_sketch', 'digital_illustration/2d_art_poster', 'digital_illustration/handmade_3d',
  'digital_illustration/hand_drawn_outline', 'digital_illustration/engraving_color', 'digital_illustration/2d_art_poster_2',
  'realistic_image/b_and_w', 'realistic_image/hard_flash', 'realistic_image/hdr', 'realistic_image/natural_light',
  'realistic_image/studio_portrait', 'realistic_image/enterprise', 'realistic_image/motion_blur',
] as const;
const DEFAULT_SIZE = '1024x1024';

/** Recraft V3: strong at text and style control. It has no seed and makes one image per run. */
export const recraftV3 = defineModel({
  id: 'recraft-v3',
  name: 'Recraft V3',
  description: 'Recraft V3: style control (realistic, illustration and sub-styles), good with text.',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'recraft-ai/recraft-v3' },
  actions: { create: noImages },
  prompt: { create: 'required' },
  settings: z.strictObject({
    aspect_ratio: optionalAspectRatio(ASPECT_RATIOS).describe('Aspect ratio; not with size.'),
    size: z.enum(SIZES).optional().describe(`Width x height preset (default ${DEFAULT_SIZE}); not with aspect_ratio.`),
    num_outputs: singleOutput,
    style: z.enum(STYLES).default('any'),
  }),
  check({ settings }) {
    // Recraft ignores size when an aspect ratio is set: refuse the pair instead of dropping one silently.
    if (settings.aspect_ratio === undefined || settings.size === undefined) return [];
    return [{ path: 'settings.size', message: 'cannot be combined with aspect_ratio; give one of them' }];
  },
  toInput({ prompt, settings }) {
    return {
      prompt,
      ...(settings.aspect_ratio !== undefined ? { aspect_ratio: settings.aspect_ratio } : { size: settings.size ?? DEFAULT_SIZE }),
      style: settings.style,
    };
  },
  output: 'one',
});
