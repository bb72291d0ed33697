import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { singleOutput } from '../unified.js';

/** BiRefNet: precise segmentation (hair, fine edges). A community model: pinned version. */
export const birefnet = defineModel({
  id: 'birefnet',
  name: 'BiRefNet',
  description: 'BiRefNet: precise cut-outs with fine edges such as hair.',
  speed: 2,
  quality: 4,
  route: { kind: 'version', slug: 'men1scus/birefnet', version: 'f74986db0355b58403ed20963af156525e2891ea3c2d499bfbfb2a28cd87c5d7' },
  actions: { 'remove-bg': oneImage },
  prompt: { 'remove-bg': 'none' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    resolution: z
      .string()
      .regex(/^(\d+x\d+)?$/)
      .default('')
      .describe('Processing size as WIDTHxHEIGHT, e.g. 1024x1024; empty uses the image size.'),
  }),
  toInput: ({ settings, images }) => ({ image: images[0], resolution: settings.resolution }),
  output: 'one',
});
