import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { singleOutput } from '../unified.js';

/**
 * Real-ESRGAN: quick general-purpose upscaling, optional GFPGAN face restoration. A community model: pinned version
 * (the model's latest, whose inputs are image, scale, face_enhance). How to move a pin: docs/models.md, "Version pins".
 */
export const realEsrgan = defineModel({
  id: 'real-esrgan',
  name: 'Real-ESRGAN',
  description: 'Real-ESRGAN: fast 2x/4x upscaling, optional face enhancement.',
  speed: 3,
  quality: 3,
  route: { kind: 'version', slug: 'nightmareai/real-esrgan', version: 'b3ef194191d13140337468c916c2c5b96dd0cb06dffc032a022a31807f6a5ea8' },
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
