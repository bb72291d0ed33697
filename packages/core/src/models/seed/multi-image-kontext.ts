import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import { kontextSettings } from './flux-kontext-pro.js';

/** FLUX Kontext Pro combining exactly two images (e.g. "put the person from the first image into the second"). */
export const multiImageKontext = defineModel({
  id: 'multi-image-kontext',
  name: 'Multi-Image Kontext',
  description: 'FLUX Kontext Pro with two input images: combine or transfer between them.',
  speed: 2,
  quality: 4,
  route: { kind: 'official', slug: 'flux-kontext-apps/multi-image-kontext-pro' },
  actions: { edit: takesImages(2, 2) },
  prompt: { edit: 'required' },
  settings: z.strictObject(kontextSettings),
  toInput({ prompt, settings, images }) {
    const { num_outputs: _one, ...rest } = settings;
    return { prompt, input_image_1: images[0], input_image_2: images[1], ...rest };
  },
  output: 'one',
});
