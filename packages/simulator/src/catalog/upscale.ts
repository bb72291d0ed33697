import { choice, flag, image, int, num, text } from './fields.js';
import { formatOf, numberOf, requiredImageOf } from './read.js';
import type { CatalogModel } from './types.js';

const realEsrgan: CatalogModel = {
  slug: 'nightmareai/real-esrgan',
  route: { kind: 'version', version: 'b3ef194191d13140337468c916c2c5b96dd0cb06dffc032a022a31807f6a5ea8' },
  description: 'Real-ESRGAN with optional face correction and adjustable upscale',
  strict: true,
  output: 'one',
  fields: {
    image: image({ required: true, description: 'Input image' }),
    scale: num({ minimum: 0, maximum: 10, default: 4, description: 'Factor to scale image by' }),
    face_enhance: flag(false, { description: 'Run GFPGAN face enhancement along with upscaling' }),
  },
  plan: (input) => ({ kind: 'upscale', image: requiredImageOf(input, 'image'), scale: numberOf(input, 'scale', 4), format: 'png' }),
};

const clarityUpscaler: CatalogModel = {
  slug: 'philz1337x/clarity-upscaler',
  route: { kind: 'version', version: 'dfad41707589d68ecdccd1dfa600d55a208f9310748e44bfe35b4a6291453d5e' },
  description: 'High resolution image upscaler and enhancer. Use at ClarityAI.co. A free Magnific alternative. Twitter/X: @philz1337x',
  strict: true,
  output: 'list',
  fields: {
    image: image({ required: true, description: 'input image' }),
    prompt: text({ default: 'masterpiece, best quality, highres, <lora:more_details:0.5> <lora:SDXLrender_v2.0:1>', description: 'Prompt' }),
    negative_prompt: text({ default: '(worst quality, low quality, normal quality:2) JuggernautNegative-neg', description: 'Negative Prompt' }),
    scale_factor: num({ minimum: 1, maximum: 4, default: 2, description: 'Scale factor' }),
    dynamic: num({ minimum: 1, maximum: 50, default: 6, description: 'HDR, try from 3 - 9' }),
    creativity: num({ minimum: 0, maximum: 1, default: 0.35, description: 'Creativity, try from 0.3 - 0.9' }),
    resemblance: num({ minimum: 0, maximum: 3, default: 0.6, description: 'Resemblance, try from 0.3 - 1.6' }),
    tiling_width: int({ enum: [16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256], default: 112, description: 'Fractality, set lower tile width for a high Fractality' }),
    tiling_height: int({ enum: [16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256], default: 144, description: 'Fractality, set lower tile height for a high Fractality' }),
    sd_model: choice(['epicrealism_naturalSinRC1VAE.safetensors [84d76a0328]', 'juggernaut_reborn.safetensors [338b85bc4f]', 'flat2DAnimerge_v45Sharp.safetensors'], 'juggernaut_reborn.safetensors [338b85bc4f]', { description: 'Stable Diffusion model checkpoint' }),
    scheduler: choice(['DPM++ 2M Karras', 'DPM++ SDE Karras', 'DPM++ 2M SDE Exponential', 'DPM++ 2M SDE Karras', 'Euler a', 'Euler', 'LMS', 'Heun', 'DPM2', 'DPM2 a', 'DPM++ 2S a', 'DPM++ 2M', 'DPM++ SDE', 'DPM++ 2M SDE', 'DPM++ 2M SDE Heun', 'DPM++ 2M SDE Heun Karras', 'DPM++ 2M SDE Heun Exponential', 'DPM++ 3M SDE', 'DPM++ 3M SDE Karras', 'DPM++ 3M SDE Exponential', 'DPM fast', 'DPM adaptive', 'LMS Karras', 'DPM2 Karras', 'DPM2 a Karras', 'DPM++ 2S a Karras', 'Restart', 'DDIM', 'PLMS', 'UniPC'], 'DPM++ 3M SDE Karras', { description: 'scheduler' }),
    num_inference_steps: int({ minimum: 1, maximum: 100, default: 18, description: 'Number of denoising steps' }),
    seed: int({ default: 1337, description: 'Random seed. Leave blank to randomize the seed' }),
    downscaling: flag(false, { description: 'Downscale the image before upscaling. Can improve quality and speed for images with high resolution but lower quality' }),
    downscaling_resolution: int({ default: 768, description: 'Downscaling resolution' }),
    lora_links: text({ default: '', description: 'Link to a lora file you want to use in your upscaling. Multiple links possible, seperated by comma' }),
    custom_sd_model: text({ default: '' }),
    sharpen: num({ minimum: 0, maximum: 10, default: 0, description: 'Sharpen the image after upscaling. The higher the value, the more sharpening is applied. 0 for no sharpening' }),
    mask: image({ description: 'Mask image to mark areas that should be preserved during upscaling' }),
    handfix: choice(['disabled', 'hands_only', 'image_and_hands'], 'disabled', { description: 'Use clarity to fix hands in the image' }),
    pattern: flag(false, { description: 'Upscale a pattern with seamless tiling' }),
    output_format: choice(['webp', 'jpg', 'png'], 'png', { description: 'Format of the output images' }),
  },
  plan: (input) => ({
    kind: 'upscale',
    image: requiredImageOf(input, 'image'),
    scale: numberOf(input, 'scale_factor', 2),
    format: formatOf(input, 'output_format', 'png'),
  }),
};

/** Replicate documents no scale for Crisp Upscale; the simulator doubles the size (Recraft's usual result for small inputs). */
export const CRISP_UPSCALE_FACTOR = 2;

const recraftCrispUpscale: CatalogModel = {
  slug: 'recraft-ai/recraft-crisp-upscale',
  route: { kind: 'official' },
  description: 'Designed to make images sharper and cleaner, Crisp Upscale increases overall quality, making visuals suitable for web use or print-ready materials.',
  strict: true,
  output: 'one',
  fields: {
    image: image({ required: true, description: 'Image to upscale' }),
  },
  plan: (input) => ({ kind: 'upscale', image: requiredImageOf(input, 'image'), scale: CRISP_UPSCALE_FACTOR, format: 'webp' }),
};

export const UPSCALE_MODELS: readonly CatalogModel[] = [realEsrgan, clarityUpscaler, recraftCrispUpscale];
