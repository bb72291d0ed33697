import { choice, image, images, seed, text } from './fields.js';
import { imageOf, seedOf, stringOf } from './read.js';
import { parseAspectRatio, parseDimensions, sizeForAspect } from './sizes.js';
import type { CatalogModel } from './types.js';

const ASPECTS = ['1:3', '3:1', '1:2', '2:1', '9:16', '16:9', '10:16', '16:10', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '1:1'] as const;

const RESOLUTIONS = [
  'None', '512x1536', '576x1408', '576x1472', '576x1536', '640x1344', '640x1408', '640x1472', '640x1536', '704x1152',
  '704x1216', '704x1280', '704x1344', '704x1408', '704x1472', '736x1312', '768x1088', '768x1216', '768x1280', '768x1344',
  '800x1280', '832x960', '832x1024', '832x1088', '832x1152', '832x1216', '832x1248', '864x1152', '896x960', '896x1024', '896x1088',
  '896x1120', '896x1152', '960x832', '960x896', '960x1024', '960x1088', '1024x832', '1024x896', '1024x960', '1024x1024',
  '1088x768', '1088x832', '1088x896', '1088x960', '1120x896', '1152x704', '1152x832', '1152x864', '1152x896', '1216x704',
  '1216x768', '1216x832', '1248x832', '1280x704', '1280x768', '1280x800', '1312x736', '1344x640', '1344x704', '1344x768',
  '1408x576', '1408x640', '1408x704', '1472x576', '1472x640', '1472x704', '1536x512', '1536x576', '1536x640',
] as const;

const STYLE_PRESETS = [
  'None', '80s Illustration', '90s Nostalgia', 'Abstract Organic', 'Analog Nostalgia', 'Art Brut', 'Art Deco', 'Art Poster',
  'Aura', 'Avant Garde', 'Bauhaus', 'Blueprint', 'Blurry Motion', 'Bright Art', 'C4D Cartoon', "Children's Book", 'Collage',
  'Coloring Book I', 'Coloring Book II', 'Cubism', 'Dark Aura', 'Doodle', 'Double Exposure', 'Dramatic Cinema', 'Editorial',
  'Emotional Minimal', 'Ethereal Party', 'Expired Film', 'Flat Art', 'Flat Vector', 'Forest Reverie', 'Geo Minimalist',
  'Glass Prism', 'Golden Hour', 'Graffiti I', 'Graffiti II', 'Halftone Print', 'High Contrast', 'Hippie Era', 'Iconic',
  'Japandi Fusion', 'Jazzy', 'Long Exposure', 'Magazine Editorial', 'Minimal Illustration', 'Mixed Media', 'Monochrome',
  'Nightlife', 'Oil Painting', 'Old Cartoons', 'Paint Gesture', 'Pop Art', 'Retro Etching', 'Riviera Pop', 'Spotlight 80s',
  'Stylized Red', 'Surreal Collage', 'Travel Poster', 'Vintage Geo', 'Vintage Poster', 'Watercolor', 'Weird', 'Woodblock Print',
] as const;

/** Text-to-image, or inpainting when `image` and `mask` come together; Ideogram repaints where the mask is black. */
export const ideogramV3Turbo: CatalogModel = {
  slug: 'ideogram-ai/ideogram-v3-turbo',
  route: { kind: 'official' },
  description: 'Turbo is the fastest and cheapest Ideogram v3. v3 creates images with stunning realism, creative designs, and consistent styles',
  strict: true,
  output: 'one',
  fields: {
    prompt: text({ required: true, description: 'Text prompt for image generation' }),
    aspect_ratio: choice(ASPECTS, '1:1', { description: 'Aspect ratio. Ignored if a resolution or inpainting image is given.' }),
    resolution: choice(RESOLUTIONS, 'None', { description: 'Resolution. Overrides aspect ratio. Ignored if an inpainting image is given.' }),
    magic_prompt_option: choice(['Auto', 'On', 'Off'], 'Auto', { description: 'Magic Prompt will interpret your prompt and optimize it' }),
    style_type: choice(['None', 'Auto', 'General', 'Realistic', 'Design'], 'None', { description: 'The styles help define the specific aesthetic of the image you want to generate.' }),
    style_preset: choice(STYLE_PRESETS, 'None', { description: 'Apply a predefined artistic style to the generated image (V3 models only).' }),
    image: image({ description: 'An image file to use for inpainting. You must also use a mask.' }),
    mask: image({ description: 'A black and white image. Black pixels are inpainted, white pixels are preserved. The mask will be resized to match the image size.' }),
    style_reference_images: images({ description: 'A list of images to use as style references.' }),
    seed: seed(),
  },
  check(input) {
    const hasImage = imageOf(input, 'image') !== undefined;
    const hasMask = imageOf(input, 'mask') !== undefined;
    if (hasImage !== hasMask) {
      return { field: `input.${hasImage ? 'mask' : 'image'}`, description: 'Inpainting needs both image and mask' };
    }
    return undefined;
  },
  plan(input) {
    const prompt = stringOf(input, 'prompt');
    const seedValue = seedOf(input, prompt);
    const source = imageOf(input, 'image');
    const mask = imageOf(input, 'mask');
    if (source && mask) return { kind: 'fill', prompt, seed: seedValue, image: source, mask, repaint: 'black', resizeMask: true, format: 'png' };
    const size =
      parseDimensions(stringOf(input, 'resolution')) ?? sizeForAspect(parseAspectRatio(stringOf(input, 'aspect_ratio', '1:1')) ?? 1, 1);
    return { kind: 'generate', prompt, seed: seedValue, size, count: 1, format: 'png' };
  },
};
