import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DotbaseError } from '../errors.js';
import { defineModel } from './define.js';
import { createRegistry } from './registry.js';
import { noImages } from './rules.js';
import { seedModels } from './seed/index.js';
import { ACTIONS, type InputIssue, type ModelDefinition } from './types.js';
import { aspectRatio, seed } from './unified.js';

function errorOf(run: () => unknown): DotbaseError {
  try {
    run();
  } catch (error) {
    if (error instanceof DotbaseError) return error;
    throw error;
  }
  throw new Error('expected a DotbaseError');
}

const toyModel = defineModel({
  id: 'toy',
  name: 'Toy',
  description: 'A model made up for tests.',
  speed: 3,
  quality: 1,
  route: { kind: 'official', slug: 'example/toy' },
  actions: { create: noImages },
  prompt: { create: 'required' },
  settings: z.strictObject({ aspect_ratio: aspectRatio(['1:1', '2:1'], '1:1'), seed }),
  toInput: ({ prompt, settings }) => ({ text: prompt, ratio: settings.aspect_ratio, seed: settings.seed }),
  output: 'one',
});

describe('createRegistry', () => {
  const registry = createRegistry();

  it('holds the 17 seed models, 19 (model, action) entries', () => {
    expect(registry.list()).toHaveLength(17);
    expect(registry.list().map((m) => m.id)).toEqual(seedModels.map((m) => m.id));
    const perAction = Object.fromEntries(ACTIONS.map((action) => [action, registry.list(action).length]));
    expect(perAction).toEqual({ create: 8, edit: 5, upscale: 3, 'remove-bg': 3 });
    expect(registry.list('edit').map((m) => m.id)).toEqual(['nano-banana', 'seedream-4', 'flux-kontext-pro', 'multi-image-kontext', 'flux-fill-pro']);
  });

  it('keeps the seed’s speed and quality ratings', () => {
    const ratings = Object.fromEntries(registry.list('create').map((m) => [m.id, `${m.speed}/${m.quality}`]));
    expect(ratings).toEqual({
      'sdxl-lightning': '3/3', 'flux-schnell': '3/4', 'stable-diffusion': '2/3', 'nano-banana': '2/4',
      'seedream-4': '2/5', 'recraft-v3': '2/4', 'imagen-4': '1/5', 'ideogram-v3-turbo': '3/4',
    });
  });

  it('gets a model by id, or undefined', () => {
    expect(registry.get('flux-schnell')?.route).toEqual({ kind: 'official', slug: 'black-forest-labs/flux-schnell' });
    expect(registry.get('sdxl-lightning')?.route.kind).toBe('version');
    expect(registry.get('nope')).toBeUndefined();
  });

  it('starts from the models it is given', () => {
    const small = createRegistry([toyModel]);
    expect(small.list().map((m) => m.id)).toEqual(['toy']);
  });
});

describe('register', () => {
  it('adds a model that prepare and summaries then use', () => {
    const registry = createRegistry();
    registry.register(toyModel);
    expect(registry.list('create')).toHaveLength(9);
    const prepared = registry.prepare({ model_id: 'toy', action: 'create', prompt: 'hi', settings: { aspect_ratio: '2:1' }, images: [] });
    expect(prepared.input).toEqual({ text: 'hi', ratio: '2:1' });
    expect(prepared.settings).toEqual({ aspect_ratio: '2:1' });
    expect(registry.summaries('create').at(-1)?.id).toBe('toy');
  });

  it('refuses a duplicate id', () => {
    const registry = createRegistry([toyModel]);
    const error = errorOf(() => registry.register({ ...toyModel, name: 'Another toy' }));
    expect(error.code).toBe('invalid_input');
    expect((error.details as { issues: InputIssue[] }).issues).toEqual([expect.objectContaining({ path: 'id', message: expect.stringContaining('"toy"') })]);
    expect(registry.get('toy')?.name).toBe('Toy');
  });

  it('refuses settings that are not a strict object, since unknown settings would slip through', () => {
    const loose = { ...toyModel, id: 'loose', settings: z.object({ seed }) } as unknown as ModelDefinition;
    expect(errorOf(() => createRegistry([loose])).code).toBe('invalid_input');
  });

  it('refuses a model that serves no known action', () => {
    const none = { ...toyModel, id: 'none', actions: {} } as ModelDefinition;
    const odd = { ...toyModel, id: 'odd', actions: { paint: noImages } } as unknown as ModelDefinition;
    expect(errorOf(() => createRegistry([none])).code).toBe('invalid_input');
    expect((errorOf(() => createRegistry([odd])).details as { issues: InputIssue[] }).issues).toEqual([expect.objectContaining({ path: 'actions.paint', allowed: ACTIONS })]);
  });
});

describe('prepare', () => {
  const registry = createRegistry();

  it('answers not_found for an unknown model', () => {
    const error = errorOf(() => registry.prepare({ model_id: 'dall-e', action: 'create', prompt: 'x', settings: {}, images: [] }));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('dall-e');
  });

  it('reports every wrong field at once, each with its path', () => {
    const error = errorOf(() =>
      registry.prepare({ model_id: 'flux-schnell', action: 'create', settings: { aspect_ratio: '2:1', num_outputs: 9 }, images: ['https://example.com/a.png'], mask: 'https://example.com/m.png' }),
    );
    expect(error.code).toBe('invalid_input');
    const paths = (error.details as { issues: InputIssue[] }).issues.map((issue) => issue.path);
    expect(paths.sort()).toEqual(['input_images', 'mask', 'prompt', 'settings.aspect_ratio', 'settings.num_outputs']);
    expect(error.message).toContain('FLUX Schnell');
    expect(error.message).toContain('settings.aspect_ratio');
  });

  it('names the aspect ratios a model allows', () => {
    const error = errorOf(() => registry.prepare({ model_id: 'imagen-4', action: 'create', prompt: 'x', settings: { aspect_ratio: '21:9' }, images: [] }));
    expect((error.details as { issues: InputIssue[] }).issues).toEqual([
      { path: 'settings.aspect_ratio', message: 'must be one of: 1:1, 9:16, 16:9, 3:4, 4:3', allowed: ['1:1', '9:16', '16:9', '3:4', '4:3'] },
    ]);
  });

  it('says which settings a model has when given one it lacks', () => {
    const error = errorOf(() => registry.prepare({ model_id: 'recraft-v3', action: 'create', prompt: 'x', settings: { seed: 1 }, images: [] }));
    const [issue] = (error.details as { issues: InputIssue[] }).issues;
    expect(issue?.path).toBe('settings.seed');
    expect(issue?.message).toContain('Recraft V3 has no setting "seed"');
    expect(issue?.message).toContain('style');
  });

  it('treats missing settings as none given', () => {
    const request = { model_id: 'flux-schnell', action: 'create' as const, prompt: 'x', images: [] };
    expect(registry.prepare({ ...request, settings: undefined as unknown as Record<string, unknown> }).input).toMatchObject({ aspect_ratio: '1:1' });
  });
});

describe('summaries', () => {
  const registry = createRegistry();
  const summaries = registry.summaries();

  it('lists one entry per (model, action), filtered by action', () => {
    expect(summaries).toHaveLength(19);
    expect(registry.summaries('upscale').map((s) => s.id)).toEqual(['real-esrgan', 'clarity-upscaler', 'recraft-crisp-upscale']);
    expect(summaries.filter((s) => s.id === 'nano-banana').map((s) => s.action)).toEqual(['create', 'edit']);
  });

  it('describes the inputs each action takes', () => {
    const find = (id: string, action: string) => summaries.find((s) => s.id === id && s.action === action)?.inputs;
    expect(find('nano-banana', 'create')).toEqual({ images: { min: 0, max: 0 }, mask: false, mask_required: false, prompt: 'required' });
    expect(find('nano-banana', 'edit')).toEqual({ images: { min: 1, max: 3 }, mask: false, mask_required: false, prompt: 'required' });
    expect(find('multi-image-kontext', 'edit')).toEqual({ images: { min: 2, max: 2 }, mask: false, mask_required: false, prompt: 'required' });
    // a mask to inpaint, none to outpaint: the model's own check decides which (see specifics.test.ts)
    expect(find('flux-fill-pro', 'edit')).toEqual({ images: { min: 1, max: 1 }, mask: true, mask_required: false, prompt: 'required' });
    expect(find('ideogram-v3-turbo', 'create')).toEqual({ images: { min: 0, max: 1 }, mask: true, mask_required: false, prompt: 'required' });
    expect(find('birefnet', 'remove-bg')).toEqual({ images: { min: 1, max: 1 }, mask: false, mask_required: false, prompt: 'none' });
  });

  it('exports each settings schema as plain JSON Schema with the enums, ranges and defaults', () => {
    for (const summary of summaries) {
      const schema = summary.settings_schema;
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
      expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(schema.$schema).toContain('json-schema.org');
    }
    const flux = summaries.find((s) => s.id === 'flux-schnell')?.settings_schema.properties as Record<string, Record<string, unknown>>;
    expect(flux.aspect_ratio).toMatchObject({ type: 'string', default: '1:1', enum: ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'] });
    expect(flux.num_outputs).toMatchObject({ type: 'integer', minimum: 1, maximum: 4, default: 1 });
    expect(flux.output_quality).toMatchObject({ minimum: 0, maximum: 100, default: 80 });
    const clarity = summaries.find((s) => s.id === 'clarity-upscaler')?.settings_schema.properties as Record<string, Record<string, unknown>>;
    expect(clarity.scale_factor).toMatchObject({ type: 'number', minimum: 1, maximum: 4, default: 2 });
  });

  it('publishes only defaults the model itself accepts', () => {
    for (const summary of summaries) {
      const properties = summary.settings_schema.properties as Record<string, { default?: unknown }>;
      const defaults = Object.fromEntries(Object.entries(properties).filter(([, p]) => 'default' in p).map(([name, p]) => [name, p.default]));
      expect(registry.get(summary.id)?.settings.safeParse(defaults).success, summary.id).toBe(true);
    }
  });
});
