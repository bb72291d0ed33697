import { choice, flag, image, int, num, seed, text } from './fields.js';
import { formatOf, imageOf, numberOf, requiredImageOf, seedOf, stringOf } from './read.js';
import { parseAspectRatio, sizeForAspect } from './sizes.js';
import type { CatalogModel, Outpaint, ValidInput } from './types.js';

const KONTEXT_ASPECTS = ['match_input_image', '1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '4:5', '5:4', '21:9', '9:21', '2:1', '1:2'] as const;

function kontextSize(input: ValidInput) {
  const aspect = parseAspectRatio(stringOf(input, 'aspect_ratio'));
  return aspect ? sizeForAspect(aspect, 1) : { matchInput: true as const, megapixels: 1 };
}

/** Edits `input_image` by the prompt; without an image it is text-to-image. */
const fluxKontextPro: CatalogModel = {
  slug: 'black-forest-labs/flux-kontext-pro',
  route: { kind: 'official' },
  description: 'A state-of-the-art text-based image editing model that delivers high-quality outputs with excellent prompt following and consistent results',
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'Text description of what you want to generate, or the instruction on how to edit the given image.' }),
    input_image: image({ description: 'Image to use as reference. Must be jpeg, png, gif, or webp.' }),
    aspect_ratio: choice(KONTEXT_ASPECTS, 'match_input_image', { description: 'Aspect ratio of the generated image. Use match_input_image to match the aspect ratio of the input image.' }),
    prompt_upsampling: flag(false, { description: 'Automatic prompt improvement' }),
    seed: seed(),
    output_format: choice(['jpg', 'png'], 'png', { description: 'Output format for the generated image' }),
    safety_tolerance: int({ minimum: 0, maximum: 6, default: 2, description: 'Safety tolerance, 0 is most strict and 6 is most permissive. 2 is currently the maximum allowed when input images are used.' }),
  },
  check(input) {
    if (imageOf(input, 'input_image') && numberOf(input, 'safety_tolerance', 2) > 2) {
      return { field: 'input.safety_tolerance', description: 'safety_tolerance must be 2 or less when input_image is provided' };
    }
    return undefined;
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const source = imageOf(input, 'input_image');
    const format = formatOf(input, 'output_format', 'png');
    const size = kontextSize(input);
    if (source) return { kind: 'edit', prompt, seed: seedOf(input, prompt), sources: [source], size, count: 1, format };
    return { kind: 'generate', prompt, seed: seedOf(input, prompt), size: 'matchInput' in size ? sizeForAspect(1, 1) : size, count: 1, format };
  },
};

/** Combines two images by the prompt (both are required). */
const multiImageKontextPro: CatalogModel = {
  slug: 'flux-kontext-apps/multi-image-kontext-pro',
  route: { kind: 'official' },
  description: 'An experimental FLUX Kontext model that can combine two input images',
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'Text description of how to combine or transform the two input images' }),
    input_image_1: image({ required: true, description: 'First input image. Must be jpeg, png, gif, or webp.' }),
    input_image_2: image({ required: true, description: 'Second input image. Must be jpeg, png, gif, or webp.' }),
    aspect_ratio: choice(KONTEXT_ASPECTS, 'match_input_image', { description: 'Aspect ratio of the generated image. Use match_input_image to match the first input image.' }),
    seed: seed(),
    output_format: choice(['jpg', 'png'], 'png', { description: 'Output format for the generated image' }),
    safety_tolerance: int({ minimum: 0, maximum: 2, default: 2, description: 'Safety tolerance, 0 is most strict and 2 is most permissive.' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const sources = [requiredImageOf(input, 'input_image_1'), requiredImageOf(input, 'input_image_2')];
    return { kind: 'edit', prompt, seed: seedOf(input, prompt), sources, size: kontextSize(input), count: 1, format: formatOf(input, 'output_format', 'png') };
  },
};

const OUTPAINTS: Record<string, Outpaint> = {
  'Zoom out 1.5x': { left: 0.25, right: 0.25, top: 0.25, bottom: 0.25 },
  'Zoom out 2x': { left: 0.5, right: 0.5, top: 0.5, bottom: 0.5 },
  'Left outpaint': { left: 0.5, right: 0, top: 0, bottom: 0 },
  'Right outpaint': { left: 0, right: 0.5, top: 0, bottom: 0 },
  'Top outpaint': { left: 0, right: 0, top: 0.5, bottom: 0 },
  'Bottom outpaint': { left: 0, right: 0, top: 0, bottom: 0.5 },
};

/** Inpainting (white mask = repaint) or, with `outpaint`, growing the canvas; `Make square` is resolved from the image. */
const fluxFillPro: CatalogModel = {
  slug: 'black-forest-labs/flux-fill-pro',
  route: { kind: 'official' },
  description: 'Professional inpainting and outpainting model with state-of-the-art performance. Edit or extend images with natural, seamless results.',
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ description: 'Text prompt for image generation' }),
    image: image({ required: true, description: 'The image to inpaint. Can contain an alpha mask. Must be jpeg, png, gif, or webp.' }),
    mask: image({ description: 'A black-and-white image that describes the part of the image to inpaint. Black areas will be preserved while white areas will be inpainted.' }),
    outpaint: choice(['None', 'Zoom out 1.5x', 'Zoom out 2x', 'Make square', 'Left outpaint', 'Right outpaint', 'Top outpaint', 'Bottom outpaint'], 'None', {
      description: 'A quick option for outpainting an input image. Mask will be ignored if outpainting is used.',
    }),
    steps: int({ minimum: 15, maximum: 50, default: 50, description: 'Number of diffusion steps.' }),
    guidance: num({ minimum: 1.5, maximum: 100, default: 60, description: 'Controls the balance between adherence to the text prompt and image quality/diversity.' }),
    prompt_upsampling: flag(false, { description: 'Automatically modify the prompt for more creative generation' }),
    safety_tolerance: int({ minimum: 1, maximum: 6, default: 2, description: 'Safety tolerance, 1 is most strict and 6 is most permissive' }),
    seed: seed(),
    output_format: choice(['jpg', 'png'], 'jpg', { description: 'Output format for the generated image.' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const outpaintName = stringOf(input, 'outpaint', 'None');
    const base = {
      kind: 'fill' as const,
      prompt,
      seed: seedOf(input, prompt),
      image: requiredImageOf(input, 'image'),
      repaint: 'white' as const,
      resizeMask: false,
      format: formatOf(input, 'output_format', 'jpg'),
    };
    if (outpaintName === 'None') {
      const mask = imageOf(input, 'mask');
      return mask ? { ...base, mask } : base;
    }
    return { ...base, outpaint: OUTPAINTS[outpaintName] ?? 'square' };
  },
};

export const EDIT_MODELS: readonly CatalogModel[] = [fluxKontextPro, multiImageKontextPro, fluxFillPro];
