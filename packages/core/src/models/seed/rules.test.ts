import { describe, expect, it } from 'vitest';
import { DotbaseError } from '../../errors.js';
import { createRegistry } from '../registry.js';
import type { Action, InputIssue, ModelSummary, UnifiedRequest } from '../types.js';

/**
 * The rules every seed model must enforce, checked for each (model, action) it serves. Limits (image counts, enums,
 * ranges) are read from the model's published summary, so this also proves the summary tells the truth.
 */
const registry = createRegistry();
const summaries = registry.summaries();
const url = (i: number) => `https://example.com/${i}.png`;

/** The smallest request the model accepts for this action. */
function baseRequest(summary: ModelSummary): UnifiedRequest & { model_id: string } {
  return {
    model_id: summary.id,
    action: summary.action,
    settings: {},
    images: Array.from({ length: summary.inputs.images.min }, (_, i) => url(i)),
    // an optional mask, given with the input image it applies to, is the plain inpainting request (FLUX Fill Pro
    // needs it unless it outpaints)
    ...(summary.inputs.mask_required || (summary.inputs.mask && summary.inputs.images.min > 0) ? { mask: 'https://example.com/mask.png' } : {}),
    ...(summary.inputs.prompt === 'required' ? { prompt: 'a test prompt' } : {}),
  };
}

function issuesOf(run: () => unknown): InputIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DotbaseError);
    expect((error as DotbaseError).code).toBe('invalid_input');
    return ((error as DotbaseError).details as { issues: InputIssue[] }).issues;
  }
  throw new Error('expected the request to be refused');
}

interface Property {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

function propertiesOf(summary: ModelSummary): [string, Property][] {
  return Object.entries(summary.settings_schema.properties as Record<string, Property>);
}

const label = (s: ModelSummary) => `${s.id} / ${s.action}`;
const each = summaries.map((s) => [label(s), s] as const);

describe.each(each)('%s', (_, summary) => {
  const base = baseRequest(summary);

  it('accepts the smallest valid request', () => {
    expect(() => registry.prepare(base)).not.toThrow();
  });

  it('refuses too few and too many input images', () => {
    const { min, max } = summary.inputs.images;
    const counts = [min - 1, max + 1].filter((n) => n >= 0);
    for (const count of counts) {
      const images = Array.from({ length: count }, (_, i) => url(i));
      const issues = issuesOf(() => registry.prepare({ ...base, images }));
      expect(issues).toContainEqual(expect.objectContaining({ path: 'input_images' }));
    }
    expect(counts.length).toBeGreaterThan(0);
  });

  it('enforces its mask rule', () => {
    if (!summary.inputs.mask) {
      const issues = issuesOf(() => registry.prepare({ ...base, mask: 'https://example.com/mask.png' }));
      expect(issues).toContainEqual(expect.objectContaining({ path: 'mask', message: expect.stringContaining('no mask') }));
    } else if (summary.inputs.mask_required) {
      const { mask: _mask, ...withoutMask } = base;
      const issues = issuesOf(() => registry.prepare(withoutMask));
      expect(issues).toContainEqual(expect.objectContaining({ path: 'mask', message: expect.stringContaining('needs a mask') }));
    } else {
      expect(summary.inputs.mask_required).toBe(false);
    }
  });

  it('enforces its prompt rule (an empty or blank prompt counts as none)', () => {
    if (summary.inputs.prompt === 'none') {
      const issues = issuesOf(() => registry.prepare({ ...base, prompt: 'make it pretty' }));
      expect(issues).toEqual([expect.objectContaining({ path: 'prompt', message: expect.stringContaining('takes no prompt') })]);
      expect(() => registry.prepare({ ...base, prompt: '' })).not.toThrow();
      expect(registry.prepare({ ...base, prompt: '  ' }).input).not.toHaveProperty('prompt');
    } else if (summary.inputs.prompt === 'required') {
      for (const prompt of [undefined, '', '   ']) {
        const issues = issuesOf(() => registry.prepare({ ...base, prompt }));
        expect(issues).toEqual([expect.objectContaining({ path: 'prompt', message: expect.stringContaining('needs a prompt') })]);
      }
    } else {
      expect(registry.prepare({ ...base, prompt: 'more detail' }).input).toHaveProperty('prompt', 'more detail');
      expect(registry.prepare(base).input).not.toHaveProperty('prompt');
    }
  });

  it('refuses a setting it has no field for, naming it', () => {
    const issues = issuesOf(() => registry.prepare({ ...base, settings: { lora_scale: 1 } }));
    expect(issues).toEqual([expect.objectContaining({ path: 'settings.lora_scale', message: expect.stringContaining('no setting "lora_scale"') })]);
  });

  it('refuses settings that are not an object', () => {
    const issues = issuesOf(() => registry.prepare({ ...base, settings: 'fast' as unknown as Record<string, unknown> }));
    expect(issues).toEqual([expect.objectContaining({ path: 'settings' })]);
  });

  it('refuses a value outside each enum, listing the allowed values', () => {
    const enums = propertiesOf(summary).filter(([, p]) => p.enum);
    for (const [name, property] of enums) {
      const issues = issuesOf(() => registry.prepare({ ...base, settings: { [name]: 'not-a-choice' } }));
      expect(issues).toEqual([{ path: `settings.${name}`, message: expect.stringContaining(String(property.enum?.[0])), allowed: property.enum }]);
    }
  });

  it('refuses numbers outside each range and values of the wrong type', () => {
    const numbers = propertiesOf(summary).filter(([, p]) => p.type === 'number' || p.type === 'integer');
    for (const [name, p] of numbers) {
      const outside = [
        p.maximum !== undefined ? p.maximum + 1 : undefined,
        p.minimum !== undefined ? p.minimum - 1 : undefined,
        p.exclusiveMinimum,
        p.const !== undefined ? Number(p.const) + 1 : undefined,
      ].filter((value) => value !== undefined);
      expect(outside.length, `${name} has a range`).toBeGreaterThan(0);
      for (const value of [...outside, 'many']) {
        const issues = issuesOf(() => registry.prepare({ ...base, settings: { [name]: value } }));
        expect(issues.length).toBeGreaterThan(0);
        expect(issues.map((issue) => issue.path)).toEqual(issues.map(() => `settings.${name}`));
      }
    }
  });

  it('takes num_outputs only within what the model makes per run', () => {
    const numOutputs = summary.settings_schema.properties as Record<string, Property>;
    const property = numOutputs.num_outputs;
    expect(property, 'every seed model declares num_outputs').toBeDefined();
    expect(() => registry.prepare({ ...base, settings: { num_outputs: 1 } })).not.toThrow();
    if (property?.const === 1) {
      const issues = issuesOf(() => registry.prepare({ ...base, settings: { num_outputs: 2 } }));
      expect(issues).toEqual([expect.objectContaining({ path: 'settings.num_outputs', message: expect.stringContaining('one image per run') })]);
    }
  });

  it('refuses a seed unless the model has one', () => {
    const hasSeed = propertiesOf(summary).some(([name]) => name === 'seed');
    if (hasSeed) {
      expect(() => registry.prepare({ ...base, settings: { seed: 42 } })).not.toThrow();
      expect(issuesOf(() => registry.prepare({ ...base, settings: { seed: 4.2 } }))).toEqual([expect.objectContaining({ path: 'settings.seed', message: 'must be a whole number' })]);
    } else {
      expect(issuesOf(() => registry.prepare({ ...base, settings: { seed: 42 } }))).toEqual([expect.objectContaining({ path: 'settings.seed' })]);
    }
  });

  it('refuses an action it does not serve, listing the ones it does', () => {
    const model = registry.get(summary.id);
    const other = (['create', 'edit', 'upscale', 'remove-bg'] as Action[]).find((action) => model?.actions[action] === undefined);
    if (!other) throw new Error('every seed model leaves some action out');
    const issues = issuesOf(() => registry.prepare({ ...base, action: other }));
    expect(issues).toEqual([expect.objectContaining({ path: 'action', allowed: summaries.filter((s) => s.id === summary.id).map((s) => s.action) })]);
  });
});
