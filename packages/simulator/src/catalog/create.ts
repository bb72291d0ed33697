import { choice, flag, image, images, int, num, seed, text } from './fields.js';
import { formatOf, imageOf, imagesOf, numberOf, seedOf, stringOf } from './read.js';
import { parseAspectRatio, parseDimensions, sizeForAspect } from './sizes.js';
import type { CatalogModel, Size, ValidInput } from './types.js';

const FLUX_ASPECTS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'] as const;

function aspectSize(value: string, megapixels: number): Size {
  return sizeForAspect(parseAspectRatio(value) ?? 1, megapixels);
}

const sdxlLightning: CatalogModel = {
  slug: 'bytedance/sdxl-lightning-4step',
  route: { kind: 'version', version: '6f7a773af6fc3e8de9d5a3c00be77c17308914bf67772726aff83496ba1e3bbe' },
  description: 'SDXL-Lightning by ByteDance: a fast text-to-image model that makes high-quality images in 4 steps',
  strict: true,
  output: 'list',
  fields: {
    prompt: text({ default: 'self-portrait of a woman, lightning in the background', description: 'Input prompt' }),
    negative_prompt: text({ default: 'worst quality, low quality', description: 'Negative Input prompt' }),
    width: int({ minimum: 256, maximum: 1280, default: 1024, description: 'Width of output image' }),
    height: int({ minimum: 256, maximum: 1280, default: 1024, description: 'Height of output image' }),
    num_outputs: int({ minimum: 1, maximum: 4, default: 1, description: 'Number of images to output.' }),
    scheduler: choice(
      ['DDIM', 'DPMSolverMultistep', 'HeunDiscrete', 'KarrasDPM', 'K_EULER_ANCESTRAL', 'K_EULER', 'PNDM', 'DPM++2MSDE'],
      'K_EULER',
      { description: 'scheduler' },
    ),
    num_inference_steps: int({ minimum: 1, maximum: 10, default: 4, description: 'Number of denoising steps. 4 for best results' }),
    guidance_scale: num({ minimum: 0, maximum: 50, default: 0, description: 'Scale for classifier-free guidance' }),
    seed: int({ default: 0, description: 'Random seed. Leave blank to randomize the seed' }),
    disable_safety_checker: flag(false, { description: 'Disable safety checker for generated images' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    return {
      kind: 'generate',
      prompt,
      seed: seedOf(input, prompt),
      size: { width: numberOf(input, 'width', 1024), height: numberOf(input, 'height', 1024) },
      count: numberOf(input, 'num_outputs', 1),
      format: 'png',
    };
  },
};

const fluxSchnell: CatalogModel = {
  slug: 'black-forest-labs/flux-schnell',
  route: { kind: 'official' },
  description: 'The fastest image generation model tailored for local development and personal use',
  strict: true,
  output: 'list',
  fields: {
    prompt: text({ required: true, description: 'Prompt for generated image' }),
    aspect_ratio: choice(FLUX_ASPECTS, '1:1', { description: 'Aspect ratio for the generated image' }),
    num_outputs: int({ minimum: 1, maximum: 4, default: 1, description: 'Number of outputs to generate' }),
    num_inference_steps: int({ minimum: 1, maximum: 4, default: 4, description: 'Number of denoising steps' }),
    seed: seed(),
    output_format: choice(['webp', 'jpg', 'png'], 'webp', { description: 'Format of the output images' }),
    output_quality: int({ minimum: 0, maximum: 100, default: 80, description: 'Quality when saving the output images' }),
    disable_safety_checker: flag(false, { description: 'Disable safety checker for generated images.' }),
    go_fast: flag(true, { description: 'Run faster predictions with model optimized for speed' }),
    megapixels: choice(['1', '0.25'], '1', { description: 'Approximate number of megapixels for generated image' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    return {
      kind: 'generate',
      prompt,
      seed: seedOf(input, prompt),
      size: aspectSize(stringOf(input, 'aspect_ratio', '1:1'), Number(stringOf(input, 'megapixels', '1'))),
      count: numberOf(input, 'num_outputs', 1),
      format: formatOf(input, 'output_format', 'webp'),
      quality: numberOf(input, 'output_quality', 80),
    };
  },
};

const stableDiffusion: CatalogModel = {
  slug: 'stability-ai/stable-diffusion-3.5-large',
  route: { kind: 'official' },
  description: 'A text-to-image model that generates high-resolution images with fine details',
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'Text prompt for image generation' }),
    negative_prompt: text({ default: '', description: 'What you do not want to see in the image' }),
    aspect_ratio: choice(['16:9', '1:1', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'], '1:1', {
      description: 'The aspect ratio of your output image. This value is ignored if you are using an input image.',
    }),
    cfg: num({ minimum: 1, maximum: 10, default: 5, description: 'The guidance scale tells the model how similar the output should be to the prompt.' }),
    steps: int({ minimum: 1, maximum: 50, default: 35, description: 'Number of steps to run the sampler for.' }),
    image: image({ description: 'Input image for image to image mode. The aspect ratio of your output will match this image.' }),
    prompt_strength: num({ minimum: 0, maximum: 1, default: 0.85, description: 'Prompt strength (or denoising strength) when using image to image.' }),
    seed: seed(),
    output_format: choice(['webp', 'jpg', 'png'], 'webp', { description: 'Format of the output images' }),
    output_quality: int({ minimum: 0, maximum: 100, default: 90, description: 'Quality of the output images, from 0 to 100.' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const format = formatOf(input, 'output_format', 'webp');
    const quality = numberOf(input, 'output_quality', 90);
    const source = imageOf(input, 'image');
    if (source) {
      return { kind: 'edit', prompt, seed: seedOf(input, prompt), sources: [source], size: { matchInput: true, megapixels: 1 }, count: 1, format, quality };
    }
    return { kind: 'generate', prompt, seed: seedOf(input, prompt), size: aspectSize(stringOf(input, 'aspect_ratio', '1:1'), 1), count: 1, format, quality };
  },
};

const NANO_BANANA_ASPECTS = ['match_input_image', '1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

/** Creates without images, edits with them (the Edit action uses the same model). */
const nanoBanana: CatalogModel = {
  slug: 'google/nano-banana',
  route: { kind: 'official' },
  description: "Google's latest image editing model in Gemini 2.5",
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'A text description of the image you want to generate' }),
    image_input: images({ maxItems: 10, description: 'Input images to transform or use as reference (supports multiple images)' }),
    aspect_ratio: choice(NANO_BANANA_ASPECTS, 'match_input_image', { description: 'Aspect ratio of the generated image' }),
    output_format: choice(['jpg', 'png'], 'jpg', { description: 'Format of the output image' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const sources = imagesOf(input, 'image_input');
    const aspect = parseAspectRatio(stringOf(input, 'aspect_ratio'));
    const format = formatOf(input, 'output_format', 'jpg');
    const seedValue = seedOf(input, prompt);
    if (sources.length > 0) {
      const size = aspect ? sizeForAspect(aspect, 1) : { matchInput: true as const, megapixels: 1 };
      return { kind: 'edit', prompt, seed: seedValue, sources, size, count: 1, format };
    }
    return { kind: 'generate', prompt, seed: seedValue, size: sizeForAspect(aspect ?? 1, 1), count: 1, format };
  },
};

const SEEDREAM_K = { '1K': 1, '2K': 4, '4K': 16 } as const;

function seedreamSize(input: ValidInput): Size | { matchInput: true; megapixels: number } {
  const size = stringOf(input, 'size', '2K');
  if (size === 'custom') return { width: numberOf(input, 'width', 2048), height: numberOf(input, 'height', 2048) };
  const megapixels = SEEDREAM_K[size as keyof typeof SEEDREAM_K] ?? 4;
  const aspect = parseAspectRatio(stringOf(input, 'aspect_ratio'));
  return aspect ? sizeForAspect(aspect, megapixels) : { matchInput: true, megapixels };
}

/** Creates without images, edits with them; `sequential_image_generation: auto` answers `max_images` images. */
const seedream4: CatalogModel = {
  slug: 'bytedance/seedream-4',
  route: { kind: 'official' },
  description: 'Unified text-to-image generation and precise single-sentence editing at up to 4K resolution',
  strict: true,
  output: 'list',
  fields: {
    prompt: text({ required: true, description: 'Text prompt for image generation' }),
    image_input: images({ maxItems: 10, description: 'Input image(s) for image-to-image generation. List of 1-10 images.' }),
    size: choice(['1K', '2K', '4K', 'custom'], '2K', { description: 'Image resolution: 1K (1024px), 2K (2048px), 4K (4096px), or custom' }),
    aspect_ratio: choice(['match_input_image', '1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'], 'match_input_image', {
      description: 'Image aspect ratio. Only used when size is not custom.',
    }),
    width: int({ minimum: 1024, maximum: 4096, default: 2048, description: 'Custom image width (only used when size=custom)' }),
    height: int({ minimum: 1024, maximum: 4096, default: 2048, description: 'Custom image height (only used when size=custom)' }),
    sequential_image_generation: choice(['disabled', 'auto'], 'disabled', { description: "Group image generation mode. 'auto' lets the model make several related images." }),
    max_images: int({ minimum: 1, maximum: 15, default: 1, description: 'Maximum number of images to generate when sequential_image_generation=auto' }),
    enhance_prompt: flag(true, { description: 'Enable prompt enhancement for higher quality results' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const sources = imagesOf(input, 'image_input');
    const count = stringOf(input, 'sequential_image_generation') === 'auto' ? numberOf(input, 'max_images', 1) : 1;
    const size = seedreamSize(input);
    const seedValue = seedOf(input, prompt);
    if (sources.length > 0) return { kind: 'edit', prompt, seed: seedValue, sources, size, count, format: 'jpg' };
    const created = 'matchInput' in size ? sizeForAspect(1, size.megapixels) : size;
    return { kind: 'generate', prompt, seed: seedValue, size: created, count, format: 'jpg' };
  },
};

const RECRAFT_SIZES = [
  '1024x1024', '1365x1024', '1024x1365', '1536x1024', '1024x1536', '1820x1024', '1024x1820', '1024x2048',
  '2048x1024', '1434x1024', '1024x1434', '1024x1280', '1280x1024', '1024x1707', '1707x1024',
] as const;
const RECRAFT_ASPECTS = ['Not set', '1:1', '4:3', '3:4', '3:2', '2:3', '16:9', '9:16', '1:2', '2:1', '7:5', '5:7', '4:5', '5:4', '3:5', '5:3'] as const;
const RECRAFT_STYLES = [
  'any', 'realistic_image', 'digital_illustration', 'digital_illustration/pixel_art', 'digital_illustration/hand_drawn',
  'digital_illustration/grain', 'digital_illustration/infantile_sketch', 'digital_illustration/2d_art_poster',
  'digital_illustration/handmade_3d', 'digital_illustration/hand_drawn_outline', 'digital_illustration/engraving_color',
  'digital_illustration/2d_art_poster_2', 'realistic_image/b_and_w', 'realistic_image/hard_flash', 'realistic_image/hdr',
  'realistic_image/natural_light', 'realistic_image/studio_portrait', 'realistic_image/enterprise', 'realistic_image/motion_blur',
] as const;

/** No seed and no count: every call draws anew in reality; here the prompt and style pick the picture. */
const recraftV3: CatalogModel = {
  slug: 'recraft-ai/recraft-v3',
  route: { kind: 'official' },
  description: 'Recraft V3 is a text-to-image model with the ability to generate long texts, and images in a wide list of styles',
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'Text prompt for image generation' }),
    size: choice(RECRAFT_SIZES, '1024x1024', { description: 'Width and height of the generated image. Size is ignored if an aspect ratio is set.' }),
    aspect_ratio: choice(RECRAFT_ASPECTS, 'Not set', { description: 'Aspect ratio of the generated image' }),
    style: choice(RECRAFT_STYLES, 'any', { description: 'Style of the generated image.' }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const aspect = parseAspectRatio(stringOf(input, 'aspect_ratio'));
    const size = aspect ? sizeForAspect(aspect, 1) : (parseDimensions(stringOf(input, 'size')) ?? { width: 1024, height: 1024 });
    return { kind: 'generate', prompt, seed: seedOf(input, `${prompt}|${stringOf(input, 'style')}`), size, count: 1, format: 'webp' };
  },
};

const imagen4: CatalogModel = {
  slug: 'google/imagen-4',
  route: { kind: 'official' },
  description: "Google's Imagen 4 flagship model",
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'Prompt for generated image' }),
    aspect_ratio: choice(['1:1', '9:16', '16:9', '3:4', '4:3'], '1:1', { description: 'Aspect ratio of the generated image' }),
    output_format: choice(['jpg', 'png'], 'jpg', { description: 'Format of the output image' }),
    safety_filter_level: choice(['block_low_and_above', 'block_medium_and_above', 'block_only_high'], 'block_only_high', {
      description: 'block_low_and_above is strictest, block_only_high is the most permissive',
    }),
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    return {
      kind: 'generate',
      prompt,
      seed: seedOf(input, prompt),
      size: aspectSize(stringOf(input, 'aspect_ratio', '1:1'), 1),
      count: 1,
      format: formatOf(input, 'output_format', 'jpg'),
    };
  },
};

export const CREATE_MODELS: readonly CatalogModel[] = [sdxlLightning, fluxSchnell, stableDiffusion, nanoBanana, seedream4, recraftV3, imagen4];
