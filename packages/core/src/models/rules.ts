import type { ImageInputRules } from './types.js';

/**
 * Image rules for one action, for model definitions to read like the model's page.
 *
 * @example
 * actions: { create: noImages, edit: takesImages(1, 3) }
 */
export function takesImages(min: number, max: number, mask: 'no mask' | 'optional mask' | 'required mask' = 'no mask'): ImageInputRules {
  return { images: { min, max }, mask: { accepted: mask !== 'no mask', required: mask === 'required mask' } };
}

/** Text to image: no input images, no mask. */
export const noImages: ImageInputRules = takesImages(0, 0);

/** Exactly one input image, no mask: upscalers and background removers. */
export const oneImage: ImageInputRules = takesImages(1, 1);
