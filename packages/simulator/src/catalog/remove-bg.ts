import { choice, flag, image, num, text } from './fields.js';
import { imageOf, requiredImageOf, stringOf } from './read.js';
import type { Background, CatalogModel } from './types.js';

const BACKGROUNDS: Record<string, Background> = {
  rgba: 'transparent',
  white: 'white',
  green: 'green',
  map: 'map',
  blur: 'blur',
  overlay: 'overlay',
};

const backgroundRemover: CatalogModel = {
  slug: '851-labs/background-remover',
  route: { kind: 'version', version: 'a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc' },
  description: 'Remove backgrounds from images.',
  strict: true,
  output: 'one',
  fields: {
    image: image({ required: true, description: 'Input image' }),
    format: choice(['png', 'jpg'], 'png', { description: 'Output format' }),
    reverse: flag(false, { description: 'Remove the foreground instead of the background' }),
    threshold: num({ minimum: 0, maximum: 1, default: 0, description: 'Threshold for hard segmentation (0.0 = soft alpha)' }),
    background_type: choice(['rgba', 'map', 'green', 'white', 'blur', 'overlay'], 'rgba', { description: 'Background type' }),
  },
  plan(input) {
    const format = stringOf(input, 'format', 'png') === 'jpg' ? 'jpg' : 'png';
    return {
      kind: 'remove-bg',
      image: requiredImageOf(input, 'image'),
      background: BACKGROUNDS[stringOf(input, 'background_type', 'rgba')] ?? 'transparent',
      reverse: input.reverse === true,
      format,
    };
  },
};

const birefnet: CatalogModel = {
  slug: 'men1scus/birefnet',
  route: { kind: 'version', version: 'f74986db0355b58403ed20963af156525e2891ea3c2d499bfbfb2a28cd87c5d7' },
  description: 'Bilateral Reference for High-Resolution Dichotomous Image Segmentation',
  strict: true,
  output: 'one',
  fields: {
    image: image({ required: true, description: 'Input image' }),
    resolution: text({ default: '', pattern: '^(\\d+x\\d+)?$', description: 'Resolution in WxH format, e.g., 1024x1024. Leave empty to use the original resolution.' }),
  },
  plan: (input) => ({
    kind: 'remove-bg',
    image: requiredImageOf(input, 'image'),
    background: 'transparent',
    reverse: false,
    format: 'png',
  }),
};

/** Takes `image` or `image_url`: exactly one of them. */
const briaRemoveBackground: CatalogModel = {
  slug: 'bria/remove-background',
  route: { kind: 'official' },
  description: 'Bria RMBG 2.0: background removal trained exclusively on licensed data',
  strict: true,
  output: 'one',
  fields: {
    image: image({ description: 'Image file' }),
    image_url: image({ description: 'Image URL' }),
    preserve_alpha: flag(true, { description: 'Preserve the alpha channel of the input image' }),
    content_moderation: flag(false, { description: 'Enable content moderation' }),
  },
  check(input) {
    const given = [imageOf(input, 'image'), imageOf(input, 'image_url')].filter((ref) => ref !== undefined);
    if (given.length !== 1) return { field: 'input.image', description: 'Provide exactly one of image or image_url' };
    return undefined;
  },
  plan: (input) => ({
    kind: 'remove-bg',
    image: imageOf(input, 'image') ?? requiredImageOf(input, 'image_url'),
    background: 'transparent',
    reverse: false,
    format: 'png',
  }),
};

export const REMOVE_BG_MODELS: readonly CatalogModel[] = [backgroundRemover, birefnet, briaRemoveBackground];
