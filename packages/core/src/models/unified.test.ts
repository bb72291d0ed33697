import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aspectRatio, dimensionsFor, numOutputs, optionalAspectRatio, outputFormat, seed, singleOutput } from './unified.js';

const SDXL = { area: 1024 * 1024, min: 256, max: 1280, multiple: 8 };

describe('dimensionsFor', () => {
  it('keeps a square at the target area', () => {
    expect(dimensionsFor('1:1', SDXL)).toEqual({ width: 1024, height: 1024 });
  });

  it('shrinks a wide ratio to fit the longest side allowed', () => {
    expect(dimensionsFor('16:9', SDXL)).toEqual({ width: 1280, height: 720 });
    expect(dimensionsFor('9:16', SDXL)).toEqual({ width: 720, height: 1280 });
  });

  it('rounds both sides to the multiple', () => {
    const { width, height } = dimensionsFor('4:3', { ...SDXL, multiple: 64 });
    expect(width % 64).toBe(0);
    expect(height % 64).toBe(0);
  });

  it('never goes below the smallest side', () => {
    expect(dimensionsFor('10:1', SDXL).height).toBe(256);
  });

  it('refuses something that is not a ratio', () => {
    expect(() => dimensionsFor('wide', SDXL)).toThrow(TypeError);
  });
});

describe('unified setting fragments', () => {
  const schema = z.strictObject({
    aspect_ratio: aspectRatio(['1:1', '16:9'], '1:1'),
    maybe_ratio: optionalAspectRatio(['1:1', '16:9']),
    num_outputs: numOutputs(4),
    seed,
    output_format: outputFormat(['png', 'jpg'], 'png'),
  });

  it('apply defaults and leave optional fields out', () => {
    expect(schema.parse({})).toEqual({ aspect_ratio: '1:1', num_outputs: 1, output_format: 'png' });
  });

  it('refuse values outside the model’s own lists and ranges', () => {
    for (const bad of [{ aspect_ratio: '2:1' }, { maybe_ratio: '2:1' }, { num_outputs: 5 }, { num_outputs: 0 }, { seed: -1 }, { seed: 0.5 }, { output_format: 'webp' }]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('singleOutput takes 1 or nothing, and says why otherwise', () => {
    const single = z.strictObject({ num_outputs: singleOutput });
    expect(single.parse({ num_outputs: 1 })).toEqual({ num_outputs: 1 });
    expect(single.parse({})).toEqual({});
    expect(single.safeParse({ num_outputs: 2 }).error?.issues[0]?.message).toContain('one image per run');
  });
});
