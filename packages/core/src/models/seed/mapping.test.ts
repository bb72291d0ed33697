import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.js';
import type { Action } from '../types.js';

/**
 * For each of the 19 seed entries, a typical unified request and the exact Replicate input it must become: the
 * model's real field names, with its defaults filled in. The expected inputs are written from each model's
 * Replicate schema (see /work/shared/replicate-models.md), not derived from the code under test.
 */
const registry = createRegistry();
const A = 'https://example.com/a.png';
const B = 'https://example.com/b.png';
const MASK = 'https://example.com/mask.png';

interface Case {
  model_id: string;
  action: Action;
  prompt?: string;
  settings: Record<string, unknown>;
  images?: string[];
  mask?: string;
  input: Record<string, unknown>;
}

const cases: Case[] = [
  {
    model_id: 'sdxl-lightning',
    action: 'create',
    prompt: 'a lighthouse',
    settings: { aspect_ratio: '16:9', num_outputs: 2, seed: 7 },
    input: {
      prompt: 'a lighthouse', width: 1280, height: 720, num_outputs: 2, seed: 7,
      negative_prompt: 'worst quality, low quality', scheduler: 'K_EULER', num_inference_steps: 4, guidance_scale: 0,
    },
  },
  {
    model_id: 'flux-schnell',
    action: 'create',
    prompt: 'a sunset',
    settings: { aspect_ratio: '16:9', num_outputs: 1 },
    input: {
      prompt: 'a sunset', aspect_ratio: '16:9', num_outputs: 1, output_format: 'webp', output_quality: 80,
      num_inference_steps: 4, megapixels: '1', go_fast: true,
    },
  },
  {
    model_id: 'stable-diffusion',
    action: 'create',
    prompt: 'a castle',
    settings: { aspect_ratio: '3:2', negative_prompt: 'blurry' },
    input: { prompt: 'a castle', aspect_ratio: '3:2', output_format: 'webp', cfg: 5, negative_prompt: 'blurry' },
  },
  {
    model_id: 'nano-banana',
    action: 'create',
    prompt: 'a banana',
    settings: {},
    input: { prompt: 'a banana', image_input: [], aspect_ratio: '1:1', output_format: 'jpg' },
  },
  {
    model_id: 'nano-banana',
    action: 'edit',
    prompt: 'make it blue',
    settings: { output_format: 'png' },
    images: [A, B],
    input: { prompt: 'make it blue', image_input: [A, B], aspect_ratio: 'match_input_image', output_format: 'png' },
  },
  {
    model_id: 'seedream-4',
    action: 'create',
    prompt: 'a book shop',
    settings: { aspect_ratio: '4:3', num_outputs: 3 },
    input: {
      prompt: 'a book shop', image_input: [], size: '2K', aspect_ratio: '4:3', max_images: 3,
      sequential_image_generation: 'auto', enhance_prompt: true,
    },
  },
  {
    model_id: 'seedream-4',
    action: 'edit',
    prompt: 'same woman, in a shop',
    settings: {},
    images: [A],
    input: {
      prompt: 'same woman, in a shop', image_input: [A], size: '2K', aspect_ratio: 'match_input_image', max_images: 1,
      sequential_image_generation: 'disabled', enhance_prompt: true,
    },
  },
  {
    model_id: 'recraft-v3',
    action: 'create',
    prompt: 'a red panda',
    settings: { aspect_ratio: '16:9', style: 'digital_illustration/pixel_art' },
    input: { prompt: 'a red panda', aspect_ratio: '16:9', style: 'digital_illustration/pixel_art' },
  },
  {
    model_id: 'imagen-4',
    action: 'create',
    prompt: 'a waterfall',
    settings: { aspect_ratio: '9:16' },
    input: { prompt: 'a waterfall', aspect_ratio: '9:16', output_format: 'jpg', safety_filter_level: 'block_only_high' },
  },
  {
    model_id: 'ideogram-v3-turbo',
    action: 'create',
    prompt: 'a poster saying HELLO',
    settings: { aspect_ratio: '2:1', seed: 3 },
    input: {
      prompt: 'a poster saying HELLO', aspect_ratio: '2:1', seed: 3, magic_prompt_option: 'Auto', style_type: 'None',
      style_preset: 'None',
    },
  },
  {
    model_id: 'flux-kontext-pro',
    action: 'edit',
    prompt: 'make it night',
    settings: { seed: 1 },
    images: [A],
    input: {
      prompt: 'make it night', input_image: A, aspect_ratio: 'match_input_image', seed: 1, output_format: 'png',
      safety_tolerance: 2, prompt_upsampling: false,
    },
  },
  {
    model_id: 'multi-image-kontext',
    action: 'edit',
    prompt: 'put the cat on the sofa',
    settings: { aspect_ratio: '1:1' },
    images: [A, B],
    input: {
      prompt: 'put the cat on the sofa', input_image_1: A, input_image_2: B, aspect_ratio: '1:1', output_format: 'png',
      safety_tolerance: 2,
    },
  },
  {
    model_id: 'flux-fill-pro',
    action: 'edit',
    prompt: 'a vase of flowers',
    settings: {},
    images: [A],
    mask: MASK,
    input: {
      prompt: 'a vase of flowers', image: A, mask: MASK, output_format: 'jpg', outpaint: 'None', steps: 50, guidance: 60,
      safety_tolerance: 2, prompt_upsampling: false,
    },
  },
  {
    model_id: 'real-esrgan',
    action: 'upscale',
    settings: { scale: 2 },
    images: [A],
    input: { image: A, scale: 2, face_enhance: false },
  },
  {
    model_id: 'clarity-upscaler',
    action: 'upscale',
    settings: {},
    images: [A],
    input: {
      image: A, output_format: 'png', scale_factor: 2, creativity: 0.35, resemblance: 0.6, dynamic: 6,
      num_inference_steps: 18, sharpen: 0, handfix: 'disabled',
      // the model's own default is a fixed 1337, so dotbase draws one (see specifics.test.ts)
      seed: expect.any(Number),
    },
  },
  {
    model_id: 'recraft-crisp-upscale',
    action: 'upscale',
    settings: {},
    images: [A],
    input: { image: A },
  },
  {
    model_id: 'background-remover',
    action: 'remove-bg',
    settings: { output_format: 'jpg', background_type: 'white' },
    images: [A],
    input: { image: A, format: 'jpg', background_type: 'white', threshold: 0, reverse: false },
  },
  {
    model_id: 'birefnet',
    action: 'remove-bg',
    settings: {},
    images: [A],
    input: { image: A, resolution: '' },
  },
  {
    model_id: 'bria-remove-background',
    action: 'remove-bg',
    settings: {},
    images: [A],
    input: { image: A, preserve_alpha: true, content_moderation: false },
  },
];

describe('seed models: a typical request becomes the model’s own Replicate input', () => {
  it('covers all 19 seed entries', () => {
    const covered = new Set(cases.map((c) => `${c.model_id}/${c.action}`));
    const served = registry.summaries().map((s) => `${s.id}/${s.action}`);
    expect(served).toHaveLength(19);
    expect([...covered].sort()).toEqual([...served].sort());
  });

  it.each(cases)('$model_id / $action', ({ input, ...request }) => {
    const prepared = registry.prepare({ images: [], ...request });
    expect(prepared.model.id).toBe(request.model_id);
    expect(prepared.input).toEqual(input);
  });

  it.each(cases)('$model_id / $action: the stored settings prepare again to the same input', ({ input, ...request }) => {
    // The service stores `settings` and prepares again before each submit, with the images as fresh URLs.
    const first = registry.prepare({ images: [], ...request });
    const again = registry.prepare({ images: [], ...request, settings: first.settings });
    expect(again.settings).toEqual(first.settings);
    expect(again.input).toEqual(input);
  });
});
