import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../api/types.js';
import { parseFieldValue, schemaFields, settingsToSend } from './schema-fields.js';

/** Shaped like zod 4's `toJSONSchema` output for a model's settings (strict object, defaults, nullable, enums). */
const schema: JsonSchema = {
  type: 'object',
  properties: {
    go_fast: { type: 'boolean', default: true },
    num_inference_steps: { type: 'integer', minimum: 1, maximum: 4, default: 4 },
    output_quality: { type: 'number', minimum: 0, maximum: 100, description: 'JPEG/WebP quality' },
    aspect_ratio: { type: 'string', enum: ['1:1', '16:9', '9:16'], default: '1:1' },
    seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
    megapixels: { anyOf: [{ type: 'string', enum: ['1', '0.25'] }, { type: 'null' }], default: '1' },
    negative_prompt: { type: 'string' },
    style: { anyOf: [{ const: 'any' }, { const: 'realistic_image' }] },
    num_outputs: { type: 'number', const: 1 },
  },
  required: ['go_fast', 'num_inference_steps', 'aspect_ratio', 'negative_prompt'],
  additionalProperties: false,
} as JsonSchema;

describe('schemaFields', () => {
  const fields = schemaFields(schema);
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]));

  it('puts the primary settings first, keeping schema order within each group', () => {
    expect(fields.map((field) => field.name)).toEqual([
      'aspect_ratio',
      'seed',
      'style',
      'go_fast',
      'num_inference_steps',
      'output_quality',
      'megapixels',
      'negative_prompt',
    ]);
    expect(fields.filter((field) => field.primary).map((field) => field.name)).toEqual(['aspect_ratio', 'seed', 'style']);
  });

  it('maps each JSON Schema type to its control with ranges, steps and defaults', () => {
    expect(byName.aspect_ratio).toMatchObject({ kind: 'select', options: ['1:1', '16:9', '9:16'], default: '1:1', required: false });
    expect(byName.num_inference_steps).toMatchObject({ kind: 'number', integer: true, min: 1, max: 4, step: 1, default: 4 });
    expect(byName.output_quality).toMatchObject({ kind: 'number', integer: false, step: 'any', description: 'JPEG/WebP quality' });
    expect(byName.go_fast).toMatchObject({ kind: 'boolean', default: true });
    expect(byName.megapixels).toMatchObject({ kind: 'select', options: ['1', '0.25'], default: '1' });
    expect(byName.style).toMatchObject({ kind: 'select', options: ['any', 'realistic_image'] });
    expect(byName.negative_prompt).toMatchObject({ kind: 'text', required: true });
  });

  it('leaves out fields with a single allowed value', () => {
    expect(byName.num_outputs).toBeUndefined();
  });

  it('handles a missing or empty schema', () => {
    expect(schemaFields(undefined)).toEqual([]);
    expect(schemaFields({ type: 'object' })).toEqual([]);
  });

  it('sends only values that differ from the defaults, and only known fields', () => {
    const sent = settingsToSend(fields, { aspect_ratio: '1:1', num_inference_steps: 2, seed: 7, go_fast: true, unknown: 1, negative_prompt: '' });
    expect(sent).toEqual({ num_inference_steps: 2, seed: 7 });
  });

  it('parses input text into the field type', () => {
    expect(parseFieldValue(byName.seed!, '42')).toBe(42);
    expect(parseFieldValue(byName.seed!, '')).toBeUndefined();
    expect(parseFieldValue(byName.aspect_ratio!, '16:9')).toBe('16:9');
    expect(parseFieldValue(byName.aspect_ratio!, 'nope')).toBeUndefined();
    expect(parseFieldValue(byName.go_fast!, false)).toBe(false);
    expect(parseFieldValue(byName.negative_prompt!, 'blurry')).toBe('blurry');
  });
});
