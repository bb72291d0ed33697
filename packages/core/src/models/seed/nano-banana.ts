import { z } from 'zod';
import { defineModel } from '../define.js';
import { noImages, takesImages } from '../rules.js';
import { optionalAspectRatio, outputFormat, singleOutput } from '../unified.js';

const ASPECT_RATIOS = ['match_input_image', '1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
/**
 * The model takes a list of images; dotbase allows up to 3, where Gemini 2.5 Flash Image is documented to work best
 * (more references blur which one the prompt is about).
 */
const MAX_EDIT_IMAGES = 3;

/** Google's Gemini 2.5 Flash Image: one model for both creating and editing (images go in `image_input`). */
export const nanoBanana = defineModel({
  id: 'nano-banana',
  name: 'Nano Banana',
  description: 'Google Gemini 2.5 Flash Image: creates, and edits from 1–3 reference images.',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'google/nano-banana' },
  actions: { create: noImages, edit: takesImages(1, MAX_EDIT_IMAGES) },
  prompt: { create: 'required', edit: 'required' },
  settings: z.strictObject({
    aspect_ratio: optionalAspectRatio(ASPECT_RATIOS).describe('Aspect ratio; default: match_input_image when editing, 1:1 when creating.'),
    num_outputs: singleOutput,
    output_format: outputFormat(['jpg', 'png'], 'jpg'),
  }),
  check({ settings, images }) {
    if (settings.aspect_ratio !== 'match_input_image' || images.length > 0) return [];
    const allowed = ASPECT_RATIOS.filter((ratio) => ratio !== 'match_input_image');
    return [{ path: 'settings.aspect_ratio', message: `match_input_image needs an input image; use one of: ${allowed.join(', ')}`, allowed }];
  },
  toInput({ prompt, settings, images }) {
    return {
      prompt,
      image_input: images,
      // Replicate's own default is match_input_image, which means nothing without an input image.
      aspect_ratio: settings.aspect_ratio ?? (images.length > 0 ? 'match_input_image' : '1:1'),
      output_format: settings.output_format,
    };
  },
  output: 'one',
});
