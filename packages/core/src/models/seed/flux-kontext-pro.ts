import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import { aspectRatio, outputFormat, seed, singleOutput } from '../unified.js';

export const KONTEXT_ASPECT_RATIOS = ['match_input_image', '1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '4:5', '5:4', '21:9', '9:21', '2:1', '1:2'] as const;

/**
 * How permissive the output filter is. The model allows 0–6 without an input image but at most 2 with one, and
 * dotbase always edits an input image.
 */
export const kontextSafetyTolerance = z.int().min(0).max(2).default(2).describe('0 is the strictest, 2 the most permissive with input images.');

/** The settings every Kontext Pro variant takes. */
export const kontextSettings = {
  aspect_ratio: aspectRatio(KONTEXT_ASPECT_RATIOS, 'match_input_image'),
  num_outputs: singleOutput,
  seed,
  output_format: outputFormat(['jpg', 'png'], 'png'),
  safety_tolerance: kontextSafetyTolerance,
};

/** Black Forest Labs FLUX.1 Kontext [pro]: edits one image by instruction. */
export const fluxKontextPro = defineModel({
  id: 'flux-kontext-pro',
  name: 'FLUX Kontext Pro',
  description: 'Black Forest Labs FLUX.1 Kontext [pro]: edits one image by a text instruction.',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'black-forest-labs/flux-kontext-pro' },
  actions: { edit: takesImages(1, 1) },
  prompt: { edit: 'required' },
  settings: z.strictObject({
    ...kontextSettings,
    prompt_upsampling: z.boolean().default(false).describe('Let the model expand the prompt.'),
  }),
  toInput({ prompt, settings, images }) {
    const { num_outputs: _one, ...rest } = settings;
    return { prompt, input_image: images[0], ...rest };
  },
  output: 'one',
});
