import type { z } from 'zod';
import type { ModelDefinition } from './types.js';

/**
 * Declares a model with its settings type inferred, so `toInput` and `check` see the validated settings with their
 * real types. The result is an ordinary `ModelDefinition`.
 *
 * @example
 * export const myModel = defineModel({ id: 'my-model', settings: z.strictObject({ seed }), toInput: ({ prompt, settings }) => ({ prompt, ...settings }), ... });
 */
export function defineModel<S extends z.ZodObject>(model: ModelDefinition<S>): ModelDefinition<S> {
  return model;
}
