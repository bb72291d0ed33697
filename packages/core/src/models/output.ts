import type { ModelDefinition } from './types.js';

/**
 * Turns what Replicate answered into a list of output URLs: one URL becomes a list of one, a list keeps its
 * non-empty strings, anything else (null after Replicate removed the data, an unexpected object) is no output.
 * Both shapes are accepted for every model, whatever its declared `output`, because a model's shape can change
 * between versions and a lost image is worse than a tolerant reader.
 *
 * @example
 * normalizeOutput(model, 'https://replicate.delivery/x.png'); // ['https://replicate.delivery/x.png']
 */
export function normalizeOutput(_model: Pick<ModelDefinition, 'output'>, output: unknown): string[] {
  if (typeof output === 'string') return output === '' ? [] : [output];
  if (Array.isArray(output)) return output.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}
