import { z } from 'zod';
import { defineModel } from '../define.js';
import { takesImages } from '../rules.js';
import type { InputIssue } from '../types.js';
import { optionalAspectRatio, seed, singleOutput } from '../unified.js';

const ASPECT_RATIOS = ['1:3', '3:1', '1:2', '2:1', '9:16', '16:9', '10:16', '16:10', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '1:1'] as const;
/** Ideogram's fixed output sizes ("None" lets aspect_ratio decide; dotbase leaves the field out instead). */
const RESOLUTIONS = [
  '512x1536', '576x1408', '576x1472', '576x1536', '640x1344', '640x1408', '640x1472', '640x1536', '704x1152',
  '704x1216', '704x1280', '704x1344', '704x1408', '704x1472', '736x1312', '768x1088', '768x1216', '768x1280',
  '768x1344', '800x1280', '832x960', '832x1024', '832x1088', '832x1152', '832x1216', '832x1248', '864x1152',
  '896x960', '896x1024', '896x1088', '896x1120', '896x1152', '960x832', '960x896', '960x1024', '960x1088',
  '1024x832', '1024x896', '1024x960', '1024x1024', '1088x768', '1088x832', '1088x896', '1088x960', '1120x896',
  '1152x704', '1152x832', '1152x864', '1152x896', '1216x704', '1216x768', '1216x832', '1248x832', '1280x704',
  '1280x768', '1280x800', '1312x736', '1344x640', '1344x704', '1344x768', '1408x576', '1408x640', '1408x704',
  '1472x576', '1472x640', '1472x704', '1536x512', '1536x576', '1536x640',
] as const;
const STYLE_PRESETS = [
  'None', '80s Illustration', '90s Nostalgia', 'Abstract Organic', 'Analog Nostalgia', 'Art Brut', 'Art Deco',
  'Art Poster', 'Aura', 'Avant Garde', 'Bauhaus', 'Blueprint', 'Blurry Motion', 'Bright Art', 'C4D Cartoon',
  "Children's Book", 'Collage', 'Coloring Book I', 'Coloring Book II', 'Cubism', 'Dark Aura', 'Doodle',
  'Double Exposure', 'Dramatic Cinema', 'Editorial', 'Emotional Minimal', 'Ethereal Party', 'Expired Film',
  'Flat Art', 'Flat Vector', 'Forest Reverie', 'Geo Minimalist', 'Glass Prism', 'Golden Hour', 'Graffiti I',
  'Graffiti II', 'Halftone Print', 'High Contrast', 'Hippie Era', 'Iconic', 'Japandi Fusion', 'Jazzy',
  'Long Exposure', 'Magazine Editorial', 'Minimal Illustration', 'Mixed Media', 'Monochrome', 'Nightlife',
  'Oil Painting', 'Old Cartoons', 'Paint Gesture', 'Pop Art', 'Retro Etching', 'Riviera Pop', 'Spotlight 80s',
  'Stylized Red', 'Surreal Collage', 'Travel Poster', 'Vintage Geo', 'Vintage Poster', 'Watercolor', 'Weird',
  'Woodblock Print',
] as const;
const DEFAULT_ASPECT_RATIO = '1:1';
const STYLE_TYPES = ['None', 'Auto', 'General', 'Realistic', 'Design'] as const;
/** The style types a style preset applies with ("None" sends no style type, so Ideogram's default decides). */
const PRESET_STYLE_TYPES: ReadonlySet<(typeof STYLE_TYPES)[number]> = new Set(['None', 'Auto', 'General']);

/**
 * Ideogram 3.0 Turbo: fast, strong typography. With one input image and a mask it inpaints; Ideogram repaints the
 * BLACK part of its mask, so the service inverts dotbase's white-repaints masks for it (`maskRepaint: 'black'`).
 */
export const ideogramV3Turbo = defineModel({
  id: 'ideogram-v3-turbo',
  name: 'Ideogram V3 Turbo',
  description: 'Ideogram 3.0 Turbo: fast, strong with text; inpainting with an image and a mask.',
  speed: 3,
  quality: 4,
  route: { kind: 'official', slug: 'ideogram-ai/ideogram-v3-turbo' },
  actions: { create: takesImages(0, 1, 'optional mask') },
  prompt: { create: 'required' },
  settings: z.strictObject({
    aspect_ratio: optionalAspectRatio(ASPECT_RATIOS).describe(`Aspect ratio (default ${DEFAULT_ASPECT_RATIO}); not with resolution or inpainting.`),
    resolution: z.enum(RESOLUTIONS).optional().describe('Exact output size; not with aspect_ratio or inpainting.'),
    num_outputs: singleOutput,
    seed,
    magic_prompt_option: z.enum(['Auto', 'On', 'Off']).default('Auto').describe('Let Ideogram rewrite the prompt.'),
    style_type: z.enum(STYLE_TYPES).default('None'),
    style_preset: z.enum(STYLE_PRESETS).default('None').describe('A predefined artistic style; only with style_type None, Auto or General.'),
  }),
  check({ settings, images, mask }) {
    const issues: InputIssue[] = [];
    // Inpainting needs both; the model would otherwise ignore the lone one.
    if (images.length > 0 && mask === undefined) issues.push({ path: 'mask', message: 'inpainting with Ideogram V3 Turbo needs a mask with the input image' });
    if (mask !== undefined && images.length === 0) issues.push({ path: 'input_images', message: 'a mask needs the input image it applies to' });
    // Ideogram ignores the output size when inpainting, and aspect_ratio when a resolution is given.
    for (const name of ['aspect_ratio', 'resolution'] as const) {
      if (images.length > 0 && settings[name] !== undefined) issues.push({ path: `settings.${name}`, message: 'does not apply when inpainting (the output keeps the input size)' });
    }
    if (images.length === 0 && settings.aspect_ratio !== undefined && settings.resolution !== undefined) {
      issues.push({ path: 'settings.resolution', message: 'cannot be combined with aspect_ratio; give one of them' });
    }
    // Ideogram applies a style preset only with style type Auto or General (its own app greys presets out for the
    // others). "None" leaves the style type to Ideogram's default, which is one of those two, so it may pair too.
    if (settings.style_preset !== 'None' && !PRESET_STYLE_TYPES.has(settings.style_type)) {
      issues.push({ path: 'settings.style_preset', message: `only applies with style_type Auto or General (or None), not ${settings.style_type}`, allowed: ['None'] });
    }
    return issues;
  },
  toInput({ prompt, settings, images, mask }) {
    const { num_outputs: _one, aspect_ratio, resolution, ...rest } = settings;
    const [image] = images;
    const size = resolution !== undefined ? { resolution } : { aspect_ratio: aspect_ratio ?? DEFAULT_ASPECT_RATIO };
    return { prompt, ...rest, ...(image !== undefined ? { image, mask } : size) };
  },
  output: 'one',
  maskRepaint: 'black',
});
