import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { singleOutput } from '../unified.js';

/** BRIA RMBG: commercially licensed background removal. */
export const briaRemoveBackground = defineModel({
  id: 'bria-remove-background',
  name: 'BRIA',
  description: 'BRIA Remove Background: clean cut-outs, trained on licensed data.',
  speed: 3,
  quality: 4,
  route: { kind: 'official', slug: 'bria/remove-background' },
  actions: { 'remove-bg': oneImage },
  prompt: { 'remove-bg': 'none' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    preserve_alpha: z.boolean().default(true).describe('Keep the input image’s own transparency.'),
    content_moderation: z.boolean().default(false).describe('Refuse images that fail content moderation.'),
  }),
  toInput: ({ settings, images }) => ({ image: images[0], preserve_alpha: settings.preserve_alpha, content_moderation: settings.content_moderation }),
  output: 'one',
});
