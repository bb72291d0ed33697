import { choice, int, seed, text } from './fields.js';
import { formatOf, numberOf, seedOf, stringOf } from './read.js';
import { parseAspectRatio, sizeForAspect } from './sizes.js';
import type { CatalogModel } from './types.js';

/**
 * The stand-in for official models the catalog does not know (with `acceptUnknownModels`): a text-to-image
 * model that takes the common fields and ignores the rest, since it cannot know the real schema.
 */
export function genericModel(slug: string): CatalogModel {
  return {
    slug,
    route: { kind: 'official' },
    description: `Simulated stand-in for ${slug}: a generic text-to-image model`,
    strict: false,
    output: 'one',
    fields: {
      prompt: text({ required: true, description: 'Text prompt for image generation' }),
      aspect_ratio: text({ default: '1:1', description: 'Aspect ratio such as 16:9' }),
      num_outputs: int({ minimum: 1, maximum: 4, default: 1, description: 'Number of images' }),
      output_format: choice(['webp', 'jpg', 'png'], 'webp', { description: 'Format of the output images' }),
      seed: seed(),
    },
    plan(input) {
      const prompt = stringOf(input, 'prompt');
      return {
        kind: 'generate',
        prompt,
        seed: seedOf(input, prompt),
        size: sizeForAspect(parseAspectRatio(stringOf(input, 'aspect_ratio')) ?? 1, 1),
        count: numberOf(input, 'num_outputs', 1),
        format: formatOf(input, 'output_format', 'webp'),
      };
    },
  };
}
