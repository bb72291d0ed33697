import { z } from 'zod';
import { defineModel } from '../define.js';
import { oneImage } from '../rules.js';
import { outputFormat, singleOutput } from '../unified.js';

/** 851-labs Background Remover (transparent-background): a community model, so it is called by pinned version. */
export const backgroundRemover = defineModel({
  id: 'background-remover',
  name: 'Background Remover',
  description: 'Background Remover: fast cut-outs; transparent, white, green or blurred background.',
  speed: 3,
  quality: 3,
  route: { kind: 'version', slug: '851-labs/background-remover', version: 'a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc' },
  actions: { 'remove-bg': oneImage },
  prompt: { 'remove-bg': 'none' },
  settings: z.strictObject({
    num_outputs: singleOutput,
    output_format: outputFormat(['png', 'jpg'], 'png').describe('File format; jpg has no transparency.'),
    background_type: z.enum(['rgba', 'white', 'green', 'blur', 'map', 'overlay']).default('rgba').describe('rgba = transparent; map = the mask itself.'),
    threshold: z.number().min(0).max(1).default(0).describe('0 keeps a soft edge; above 0 cuts hard at that confidence.'),
    reverse: z.boolean().default(false).describe('Remove the foreground instead of the background.'),
  }),
  toInput({ settings, images }) {
    const { num_outputs: _one, output_format, ...rest } = settings;
    return { image: images[0], format: output_format, ...rest };
  },
  output: 'one',
});
