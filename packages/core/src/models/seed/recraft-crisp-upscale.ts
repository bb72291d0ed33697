import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { singleOutput } from '../unified.js';

/** Recraft Crisp Upscale: sharp, faithful upscaling with no knobs. */
export const recraftCrispUpscale = defineModel({
  id: 'recraft-crisp-upscale',
  name: 'Recraft Crisp Upscale',
  description: 'Recraft Crisp Upscale: sharp, faithful upscaling; no settings.',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'recraft-ai/recraft-crisp-upscale' },
  actions: { upscale: oneImage },
  prompt: { upscale: 'none' },
  settings: z.strictObject({ num_outputs: singleOutput }),
  toInput: ({ images }) => ({ image: images[0] }),
  output: 'one',
});
