import { describe, expect, it } from 'vitest';
import { DotbaseError } from '../../errors.js';
import { createRegistry } from '../registry.js';
import type { InputIssue, UnifiedRequest } from '../types.js';

/** Per-model rules beyond the generic ones: how unified settings land on each model's own fields, and conflicts. */
const registry = createRegistry();
const A = 'https://example.com/a.png';
const MASK = 'https://example.com/mask.png';

type Request = Partial<UnifiedRequest> & { model_id: string };

function prepare(request: Request) {
  return registry.prepare({ action: 'create', settings: {}, images: [], prompt: 'a prompt', ...request });
}

function issuesOf(request: Request): InputIssue[] {
  try {
    prepare(request);
  } catch (error) {
    if (error instanceof DotbaseError && error.code === 'invalid_input') return (error.details as { issues: InputIssue[] }).issues;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('sdxl-lightning', () => {
  it('turns every aspect ratio into width/height: multiples of 8 within 256–1280, about one megapixel, the right shape', () => {
    const allowed = (registry.summaries('create').find((s) => s.id === 'sdxl-lightning')?.settings_schema.properties as Record<string, { enum?: string[] }>).aspect_ratio?.enum ?? [];
    expect(allowed.length).toBeGreaterThan(5);
    for (const ratio of allowed) {
      const { width, height } = prepare({ model_id: 'sdxl-lightning', settings: { aspect_ratio: ratio } }).input as { width: number; height: number };
      const [w, h] = ratio.split(':').map(Number) as [number, number];
      expect(width % 8, ratio).toBe(0);
      expect(height % 8, ratio).toBe(0);
      expect(Math.max(width, height), ratio).toBeLessThanOrEqual(1280);
      expect(Math.min(width, height), ratio).toBeGreaterThanOrEqual(256);
      expect(Math.abs(width / height - w / h) / (w / h), ratio).toBeLessThan(0.02);
      expect(width * height, ratio).toBeGreaterThan(0.6 * 1024 * 1024);
      expect(width * height, ratio).toBeLessThanOrEqual(1.02 * 1024 * 1024);
    }
  });

  it('passes explicit width/height through and refuses them together with aspect_ratio', () => {
    expect(prepare({ model_id: 'sdxl-lightning', settings: { width: 768 } }).input).toMatchObject({ width: 768, height: 1024 });
    expect(issuesOf({ model_id: 'sdxl-lightning', settings: { aspect_ratio: '1:1', height: 512 } })).toEqual([expect.objectContaining({ path: 'settings.height' })]);
    expect(issuesOf({ model_id: 'sdxl-lightning', settings: { width: 1001 } })).toEqual([{ path: 'settings.width', message: 'must be a multiple of 8' }]);
  });
});

describe('sdxl-lightning seed', () => {
  it('refuses seed 0, which the model reads as "draw a random seed", and takes 1 and up', () => {
    expect(issuesOf({ model_id: 'sdxl-lightning', settings: { seed: 0 } })).toEqual([{ path: 'settings.seed', message: 'must be at least 1' }]);
    expect(prepare({ model_id: 'sdxl-lightning', settings: { seed: 1 } }).input).toMatchObject({ seed: 1 });
    expect(prepare({ model_id: 'sdxl-lightning' }).input).not.toHaveProperty('seed');
  });
});

describe('seedream-4', () => {
  const model_id = 'seedream-4';

  it('maps num_outputs onto max_images, with group generation only above one', () => {
    expect(prepare({ model_id, settings: { num_outputs: 15 } }).input).toMatchObject({ max_images: 15, sequential_image_generation: 'auto' });
    expect(prepare({ model_id, settings: { num_outputs: 1 } }).input).toMatchObject({ max_images: 1, sequential_image_generation: 'disabled' });
  });

  it('caps input images plus outputs at 15', () => {
    const images = Array.from({ length: 10 }, (_, i) => `https://example.com/${i}.png`);
    expect(prepare({ model_id, action: 'edit', images, settings: { num_outputs: 5 } }).input).toMatchObject({ max_images: 5 });
    expect(issuesOf({ model_id, action: 'edit', images, settings: { num_outputs: 6 } })).toEqual([
      expect.objectContaining({ path: 'settings.num_outputs', message: expect.stringContaining('at most 5') }),
    ]);
  });

  it('takes width/height only with size "custom", and no aspect ratio then', () => {
    expect(prepare({ model_id, settings: { size: 'custom', width: 3000 } }).input).toMatchObject({ size: 'custom', width: 3000, height: 2048 });
    expect(prepare({ model_id, settings: { size: 'custom' } }).input).not.toHaveProperty('aspect_ratio');
    expect(prepare({ model_id, settings: { size: '4K' } }).input).not.toHaveProperty('width');
    expect(issuesOf({ model_id, settings: { width: 3000 } })).toEqual([expect.objectContaining({ path: 'settings.width' })]);
    expect(issuesOf({ model_id, settings: { size: 'custom', aspect_ratio: '1:1' } })).toEqual([expect.objectContaining({ path: 'settings.aspect_ratio' })]);
  });

  it('refuses match_input_image without an input image', () => {
    const [issue] = issuesOf({ model_id, settings: { aspect_ratio: 'match_input_image' } });
    expect(issue).toMatchObject({ path: 'settings.aspect_ratio' });
    expect(issue?.allowed).not.toContain('match_input_image');
    expect(issue?.allowed).toContain('16:9');
  });
});

describe('nano-banana', () => {
  it('defaults the aspect ratio by action and refuses match_input_image when creating', () => {
    expect(prepare({ model_id: 'nano-banana' }).input).toMatchObject({ aspect_ratio: '1:1', image_input: [] });
    expect(prepare({ model_id: 'nano-banana', action: 'edit', images: [A] }).input).toMatchObject({ aspect_ratio: 'match_input_image', image_input: [A] });
    expect(prepare({ model_id: 'nano-banana', action: 'edit', images: [A], settings: { aspect_ratio: '4:3' } }).input).toMatchObject({ aspect_ratio: '4:3' });
    expect(issuesOf({ model_id: 'nano-banana', settings: { aspect_ratio: 'match_input_image' } })).toEqual([expect.objectContaining({ path: 'settings.aspect_ratio' })]);
  });
});

describe('recraft-v3', () => {
  it('uses its size preset unless an aspect ratio is given, and refuses both', () => {
    expect(prepare({ model_id: 'recraft-v3' }).input).toEqual({ prompt: 'a prompt', size: '1024x1024', style: 'any' });
    expect(prepare({ model_id: 'recraft-v3', settings: { size: '1365x1024' } }).input).toMatchObject({ size: '1365x1024' });
    expect(prepare({ model_id: 'recraft-v3', settings: { aspect_ratio: '7:5' } }).input).not.toHaveProperty('size');
    expect(issuesOf({ model_id: 'recraft-v3', settings: { aspect_ratio: '1:1', size: '1024x1024' } })).toEqual([expect.objectContaining({ path: 'settings.size' })]);
  });

  it('does not offer its "Not set" sentinel as an aspect ratio', () => {
    const [issue] = issuesOf({ model_id: 'recraft-v3', settings: { aspect_ratio: 'Not set' } });
    expect(issue?.allowed).not.toContain('Not set');
  });
});

describe('stable-diffusion', () => {
  it('does image-to-image with one input image, with the model’s default prompt strength', () => {
    expect(prepare({ model_id: 'stable-diffusion', images: [A] }).input).toMatchObject({ image: A, prompt_strength: 0.85 });
    expect(prepare({ model_id: 'stable-diffusion', images: [A], settings: { prompt_strength: 0.3 } }).input).toMatchObject({ prompt_strength: 0.3 });
    expect(prepare({ model_id: 'stable-diffusion' }).input).not.toHaveProperty('prompt_strength');
  });

  it('refuses prompt_strength without an input image', () => {
    expect(issuesOf({ model_id: 'stable-diffusion', settings: { prompt_strength: 0.5 } })).toEqual([expect.objectContaining({ path: 'settings.prompt_strength' })]);
  });

  it('sends aspect_ratio (default 1:1) only without an input image, and refuses it with one, which the model would ignore', () => {
    expect(prepare({ model_id: 'stable-diffusion' }).input).toMatchObject({ aspect_ratio: '1:1' });
    expect(prepare({ model_id: 'stable-diffusion', settings: { aspect_ratio: '16:9' } }).input).toMatchObject({ aspect_ratio: '16:9' });
    expect(prepare({ model_id: 'stable-diffusion', images: [A] }).input).not.toHaveProperty('aspect_ratio');
    expect(issuesOf({ model_id: 'stable-diffusion', images: [A], settings: { aspect_ratio: '16:9' } })).toEqual([
      { path: 'settings.aspect_ratio', message: expect.stringContaining('input image') },
    ]);
  });
});

describe('ideogram-v3-turbo', () => {
  const model_id = 'ideogram-v3-turbo';

  it('inpaints with an image and a mask, which it repaints where black', () => {
    const input = prepare({ model_id, images: [A], mask: MASK }).input;
    expect(input).toMatchObject({ image: A, mask: MASK });
    expect(input).not.toHaveProperty('aspect_ratio');
    expect(registry.get(model_id)?.maskRepaint).toBe('black');
  });

  it('refuses an image without a mask, a mask without an image, and sizes when inpainting', () => {
    expect(issuesOf({ model_id, images: [A] })).toEqual([expect.objectContaining({ path: 'mask' })]);
    expect(issuesOf({ model_id, mask: MASK })).toEqual([expect.objectContaining({ path: 'input_images' })]);
    expect(issuesOf({ model_id, images: [A], mask: MASK, settings: { aspect_ratio: '1:1' } })).toEqual([expect.objectContaining({ path: 'settings.aspect_ratio' })]);
  });

  it('takes a style preset only with style type None, Auto or General, which are the ones Ideogram applies it with', () => {
    for (const style_type of ['None', 'Auto', 'General']) {
      expect(prepare({ model_id, settings: { style_type, style_preset: 'Bauhaus' } }).input, style_type).toMatchObject({ style_type, style_preset: 'Bauhaus' });
    }
    for (const style_type of ['Realistic', 'Design']) {
      expect(issuesOf({ model_id, settings: { style_type, style_preset: 'Bauhaus' } }), style_type).toEqual([
        { path: 'settings.style_preset', message: expect.stringContaining(style_type), allowed: ['None'] },
      ]);
      expect(prepare({ model_id, settings: { style_type } }).input, style_type).toMatchObject({ style_type, style_preset: 'None' });
    }
  });

  it('sends either a resolution or an aspect ratio, never both', () => {
    expect(prepare({ model_id, settings: { resolution: '1280x800' } }).input).not.toHaveProperty('aspect_ratio');
    expect(prepare({ model_id, settings: { resolution: '1280x800' } }).input).toMatchObject({ resolution: '1280x800' });
    expect(issuesOf({ model_id, settings: { resolution: '1280x800', aspect_ratio: '16:10' } })).toEqual([expect.objectContaining({ path: 'settings.resolution' })]);
  });
});

describe('edit models', () => {
  it('flux-kontext-pro keeps safety_tolerance within 2, the most the model allows with an input image', () => {
    const issues = issuesOf({ model_id: 'flux-kontext-pro', action: 'edit', images: [A], settings: { safety_tolerance: 3 } });
    expect(issues).toEqual([{ path: 'settings.safety_tolerance', message: 'must be at most 2' }]);
  });

  it('flux-fill-pro repaints white, as dotbase masks are', () => {
    expect(registry.get('flux-fill-pro')?.maskRepaint).toBe('white');
    expect(prepare({ model_id: 'flux-fill-pro', action: 'edit', images: [A], mask: MASK }).input).toMatchObject({ outpaint: 'None', image: A, mask: MASK });
  });

  it('flux-fill-pro outpaints without a mask, refuses a mask it would ignore, and needs one to inpaint', () => {
    const request = { model_id: 'flux-fill-pro', action: 'edit' as const, images: [A] };
    const outpainted = prepare({ ...request, settings: { outpaint: 'Zoom out 2x' } }).input;
    expect(outpainted).toMatchObject({ outpaint: 'Zoom out 2x', image: A });
    expect(outpainted).not.toHaveProperty('mask');
    expect(issuesOf({ ...request, mask: MASK, settings: { outpaint: 'Zoom out 2x' } })).toEqual([{ path: 'mask', message: expect.stringContaining('ignored') }]);
    expect(issuesOf(request)).toEqual([{ path: 'mask', message: expect.stringContaining('needs a mask') }]);
    expect(registry.summaries('edit').find((s) => s.id === 'flux-fill-pro')?.inputs).toMatchObject({ mask: true, mask_required: false });
  });
});

describe('upscale and remove-bg models', () => {
  it('real-esrgan is pinned to the model’s latest version (image, scale, face_enhance)', () => {
    expect(registry.get('real-esrgan')?.route).toEqual({ kind: 'version', slug: 'nightmareai/real-esrgan', version: 'b3ef194191d13140337468c916c2c5b96dd0cb06dffc032a022a31807f6a5ea8' });
    expect(prepare({ model_id: 'real-esrgan', action: 'upscale', images: [A], prompt: '' }).input).toEqual({ image: A, scale: 4, face_enhance: false });
  });

  it('clarity-upscaler draws a random seed when none is given (its own default is a fixed 1337) and keeps a given one', () => {
    const request = { model_id: 'clarity-upscaler', action: 'upscale' as const, images: [A], prompt: '' };
    const drawn = Array.from({ length: 8 }, () => prepare(request));
    for (const { input, settings } of drawn) {
      expect(input.seed).toEqual(expect.any(Number));
      expect(Number.isInteger(input.seed) && (input.seed as number) >= 0 && (input.seed as number) <= 2_147_483_647).toBe(true);
      // stored with the generation, so a re-submit sends the same seed
      expect(settings.seed).toBe(input.seed);
      expect(prepare({ ...request, settings }).input.seed).toBe(input.seed);
    }
    expect(new Set(drawn.map(({ input }) => input.seed)).size).toBeGreaterThan(1);
    expect(prepare({ ...request, settings: { seed: 1337 } }).input.seed).toBe(1337);
    const schema = registry.summaries('upscale').find((s) => s.id === 'clarity-upscaler')?.settings_schema.properties as Record<string, Record<string, unknown>>;
    expect(schema.seed).toMatchObject({ type: 'integer', minimum: 0 });
    expect(schema.seed).not.toHaveProperty('default');
    expect(schema.seed?.description).toContain('dotbase draws a random one');
  });

  it('clarity-upscaler passes an optional prompt through', () => {
    expect(prepare({ model_id: 'clarity-upscaler', action: 'upscale', images: [A], prompt: 'a portrait' }).input).toMatchObject({ prompt: 'a portrait', image: A });
  });

  it('background-remover maps output_format onto its own "format" field', () => {
    const input = prepare({ model_id: 'background-remover', action: 'remove-bg', images: [A], prompt: '' }).input;
    expect(input).toMatchObject({ format: 'png' });
    expect(input).not.toHaveProperty('output_format');
  });

  it('birefnet takes a WIDTHxHEIGHT resolution or none', () => {
    const request = { model_id: 'birefnet', action: 'remove-bg' as const, images: [A], prompt: '' };
    expect(prepare({ ...request, settings: { resolution: '1024x768' } }).input).toMatchObject({ resolution: '1024x768' });
    expect(issuesOf({ ...request, settings: { resolution: 'big' } })).toEqual([expect.objectContaining({ path: 'settings.resolution' })]);
  });
});
