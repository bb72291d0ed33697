import { describe, expect, it } from 'vitest';
import { CATALOG_MODELS, createCatalog, versionIdOf } from './index.js';
import { openApiSchemaOf } from './openapi.js';
import type { CatalogModel } from './types.js';
import { describeInvalid, validateInput } from './validate.js';

const catalog = createCatalog({ acceptUnknownModels: false });
const model = (slug: string): CatalogModel => catalog.bySlug(slug)!;

describe('catalog', () => {
  it('holds the 17 Replicate slugs of the seed models', () => {
    expect(new Set(CATALOG_MODELS.map((m) => m.slug)).size).toBe(17);
  });

  it('finds community models by 64-hex version or owner/name:version, official ones only by name', () => {
    const sdxl = model('bytedance/sdxl-lightning-4step');
    const version = versionIdOf(sdxl);
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    expect(catalog.byVersion(version)).toBe(sdxl);
    expect(catalog.byVersion(`bytedance/sdxl-lightning-4step:${version}`)).toBe(sdxl);
    expect(catalog.byVersion(`someone/else:${version}`)).toBeUndefined();
    expect(catalog.official('bytedance/sdxl-lightning-4step')).toBeUndefined();
    expect(catalog.official('black-forest-labs/flux-schnell')?.slug).toBe('black-forest-labs/flux-schnell');
    expect(catalog.official('acme/unknown')).toBeUndefined();
    expect(createCatalog({ acceptUnknownModels: true }).official('acme/unknown')?.strict).toBe(false);
  });

  it.each(CATALOG_MODELS.map((m) => [m.slug, m] as const))('%s: a minimal valid input plans a render', (_slug, m) => {
    const input: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(m.fields)) {
      if (spec.required) input[name] = spec.type === 'string' && spec.format === 'uri' ? 'https://example.com/a.png' : 'a cat';
    }
    if (m.slug === 'bria/remove-background') input.image = 'https://example.com/a.png';
    const result = validateInput(m, input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(['generate', 'edit', 'fill', 'upscale', 'remove-bg']).toContain(m.plan(result.input).kind);
  });
});

describe('validateInput', () => {
  const flux = model('black-forest-labs/flux-schnell');

  it('applies defaults and keeps given values', () => {
    const result = validateInput(flux, { prompt: 'a fox', num_outputs: 2 });
    expect(result).toEqual({ ok: true, input: expect.objectContaining({ prompt: 'a fox', num_outputs: 2, aspect_ratio: '1:1', output_format: 'webp' }) });
  });

  it('names unknown fields, missing required fields, bad enums, ranges and types', () => {
    const result = validateInput(flux, { colour: 'red', aspect_ratio: '7:3', num_outputs: 9, go_fast: 'yes' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const detail = describeInvalid(result.invalid);
    expect(detail).toContain('Additional property colour is not allowed');
    expect(detail).toContain('prompt is required');
    expect(detail).toContain('input.aspect_ratio must be one of the following');
    expect(detail).toContain('- input.num_outputs: Must be less than or equal to 4');
    expect(detail).toContain('- input.go_fast: Invalid type. Expected: boolean, given: string');
  });

  it('refuses fractional integers, non-string list items and too many list items', () => {
    const seedream = model('bytedance/seedream-4');
    const fraction = validateInput(seedream, { prompt: 'x', max_images: 1.5 });
    expect(!fraction.ok && fraction.invalid[0]?.field).toBe('input.max_images');
    const items = validateInput(seedream, { prompt: 'x', image_input: ['a', 3] });
    expect(!items.ok && items.invalid[0]?.field).toBe('input.image_input.1');
    const tooMany = validateInput(seedream, { prompt: 'x', image_input: Array.from({ length: 11 }, () => 'https://e.com/a.png') });
    expect(!tooMany.ok && tooMany.invalid[0]?.type).toBe('array_max_items');
  });

  it('checks patterns and cross-field rules', () => {
    const birefnet = model('men1scus/birefnet');
    expect(validateInput(birefnet, { image: 'https://e.com/a.png', resolution: '1024x1024' }).ok).toBe(true);
    expect(validateInput(birefnet, { image: 'https://e.com/a.png', resolution: 'big' }).ok).toBe(false);
    const kontext = validateInput(model('black-forest-labs/flux-kontext-pro'), { prompt: 'x', input_image: 'https://e.com/a.png', safety_tolerance: 5 });
    expect(!kontext.ok && kontext.invalid[0]?.field).toBe('input.safety_tolerance');
    const bria = validateInput(model('bria/remove-background'), {});
    expect(!bria.ok && bria.invalid[0]?.field).toBe('input.image');
  });

  it('treats null as absent and refuses a non-object input', () => {
    expect(validateInput(flux, { prompt: 'x', seed: null }).ok).toBe(true);
    const result = validateInput(flux, 'a fox');
    expect(!result.ok && result.invalid[0]?.description).toBe('Invalid type. Expected: object, given: string');
  });
});

describe('openApiSchemaOf', () => {
  it('publishes the input schema at components.schemas.Input with enums as referenced schemas', () => {
    interface Schemas {
      Input: { required: string[]; properties: Record<string, unknown> };
      Output: unknown;
      aspect_ratio: { enum: string[] };
    }
    const schema = openApiSchemaOf(model('black-forest-labs/flux-schnell')) as { components: { schemas: Schemas } };
    const { Input, Output, aspect_ratio } = schema.components.schemas;
    expect(Input.required).toEqual(['prompt']);
    expect(Input.properties.num_outputs).toMatchObject({ type: 'integer', minimum: 1, maximum: 4, default: 1, 'x-order': 2 });
    expect(Input.properties.aspect_ratio).toMatchObject({ default: '1:1', allOf: [{ $ref: '#/components/schemas/aspect_ratio' }] });
    expect(aspect_ratio.enum).toContain('16:9');
    expect(Output).toMatchObject({ type: 'array', items: { type: 'string', format: 'uri' } });
  });
});
