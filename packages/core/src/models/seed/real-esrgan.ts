import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { singleOutput } from '../unified.js';

/** Real-ESRGAN: quick general-purpose upscaling, optional GFPGAN face restoration. A community model: pinned version. */
export const realEsrgan = defineModel({
  id: 'real-esrgan',
  name: 'Real-ESRGAN',
  description: 'Real-ESRGAN: fast 2x/4x upscaling, optional face enhancement.',
  speed: 3,
  quality: 3,
  route: { kind: 'version', slug: 'nightmareai/real-esrgan', version: '42fed1c4974146d4d2414e2be2c5277c7fcf05fcc3a73abf41610695738c1d7b' },
  actions: { upscale: oneImage },
  prompt: { upscale: 'none' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    scale: z.number().positive().max(10).default(4).describe('Upscale factor, e.g. 2 or 4 (up to 10).'),
    face_enhance: z.boolean().default(false).describe('Restore faces with GFPGAN.'),
  }),
  toInput({ settings, images }) {
    return { image: images[0], scale: settings.scale, face_enhance: settings.face_enhance };
  },
  output: 'one',
});
