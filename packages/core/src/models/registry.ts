import { z } from 'zod';
import { DotbaseError } from '../errors.js';
import { describeIssues, settingsErrorMap, settingsIssues } from './issues.js';
import { seedModels } from './seed/index.js';
import { ACTIONS, type Action, type ImageInputRules, type InputIssue, type ModelDefinition, type ModelSummary, type PreparedInput, type UnifiedRequest } from './types.js';

export { normalizeOutput } from './output.js';

/** The models dotbase knows, and the one place a unified request becomes a model's own Replicate input. */
export interface Registry {
  /** Every model, or the ones serving `action`, in registration order. */
  list(action?: Action): ModelDefinition[];
  get(id: string): ModelDefinition | undefined;
  /** Adds a model; an id already taken is refused (`invalid_input`). */
  register(model: ModelDefinition): void;
  /** One entry per (model, action) it serves, for `GET /api/models/list`. */
  summaries(action?: Action): ModelSummary[];
  /**
   * Validates a request against the model (action served, image count, mask, prompt, settings) and maps it to the
   * model's Replicate input. Throws `not_found` for an unknown model and `invalid_input` with
   * `details.issues: InputIssue[]` naming every field that is wrong. Stored `settings` from an earlier call
   * validate again to the same input, so a generation can be re-prepared before each submit.
   */
  prepare(request: UnifiedRequest & { model_id: string }): PreparedInput;
}

/** A request's prompt, or undefined when it is absent or only whitespace. */
function promptOf(prompt: unknown): string | undefined {
  return typeof prompt === 'string' && prompt.trim() !== '' ? prompt : undefined;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function imageCountIssue(model: ModelDefinition, action: Action, rules: ImageInputRules, count: number): InputIssue | undefined {
  const { min, max } = rules.images;
  if (count >= min && count <= max) return undefined;
  const wanted = max === 0 ? 'no input images' : min === max ? `exactly ${plural(min, 'input image')}` : `${min} to ${max} input images`;
  return { path: 'input_images', message: `${model.name} takes ${wanted} for ${action}, got ${count}` };
}

function maskIssue(model: ModelDefinition, action: Action, rules: ImageInputRules, mask: string | undefined): InputIssue | undefined {
  if (mask !== undefined && !rules.mask.accepted) return { path: 'mask', message: `${model.name} takes no mask for ${action}` };
  if (mask === undefined && rules.mask.required) {
    return { path: 'mask', message: `${model.name} needs a mask for ${action} (white = repaint, black = keep)` };
  }
  return undefined;
}

function promptIssue(model: ModelDefinition, action: Action, prompt: string | undefined): InputIssue | undefined {
  const rule = model.prompt[action] ?? 'none';
  if (rule === 'none' && prompt !== undefined) return { path: 'prompt', message: `${model.name} takes no prompt for ${action}` };
  if (rule === 'required' && prompt === undefined) return { path: 'prompt', message: `${model.name} needs a prompt for ${action}` };
  return undefined;
}

/** Settings must be a strict zod object, so a setting the model has no field for is refused rather than dropped. */
function isStrictObject(schema: z.ZodType): schema is z.ZodObject {
  const def = schema._zod.def as { type: string; catchall?: z.ZodType };
  return def.type === 'object' && def.catchall?._zod.def.type === 'never';
}

function checkDefinition(model: ModelDefinition): void {
  const problems: InputIssue[] = [];
  if (!isStrictObject(model.settings)) problems.push({ path: 'settings', message: 'must be a strict zod object (z.strictObject)' });
  const served = Object.keys(model.actions);
  if (served.length === 0) problems.push({ path: 'actions', message: 'must serve at least one action' });
  for (const action of served) {
    if (!(ACTIONS as readonly string[]).includes(action)) problems.push({ path: `actions.${action}`, message: 'is not an action', allowed: ACTIONS });
  }
  if (problems.length > 0) {
    throw new DotbaseError('invalid_input', describeIssues(`model "${model.id}"`, problems), { details: { issues: problems } });
  }
}

function servedActions(model: ModelDefinition): Action[] {
  return ACTIONS.filter((action) => model.actions[action] !== undefined);
}

function invalid(model: ModelDefinition, issues: InputIssue[]): DotbaseError {
  return new DotbaseError('invalid_input', describeIssues(model.name, issues), { details: { issues } });
}

function withoutUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/**
 * Creates a registry holding `models` (the 17 seed models by default).
 *
 * @example
 * const registry = createRegistry();
 * const { input } = registry.prepare({ model_id: 'flux-schnell', action: 'create', prompt: 'a fox', settings: { aspect_ratio: '16:9' }, images: [] });
 * // input: { prompt: 'a fox', aspect_ratio: '16:9', num_outputs: 1, ... }
 */
export function createRegistry(models: readonly ModelDefinition[] = seedModels): Registry {
  const byId = new Map<string, ModelDefinition>();
  const jsonSchemas = new WeakMap<ModelDefinition, Record<string, unknown>>();

  function settingsSchemaOf(model: ModelDefinition): Record<string, unknown> {
    let schema = jsonSchemas.get(model);
    if (!schema) {
      // io 'input': the form a caller fills in, where fields with defaults are optional.
      schema = z.toJSONSchema(model.settings, { io: 'input' }) as Record<string, unknown>;
      jsonSchemas.set(model, schema);
    }
    return schema;
  }

  const registry: Registry = {
    list(action) {
      const all = [...byId.values()];
      return action === undefined ? all : all.filter((model) => model.actions[action] !== undefined);
    },

    get(id) {
      return byId.get(id);
    },

    register(model) {
      if (byId.has(model.id)) {
        const issue = { path: 'id', message: `a model with id "${model.id}" is already registered` };
        throw new DotbaseError('invalid_input', issue.message, { details: { issues: [issue] } });
      }
      checkDefinition(model);
      byId.set(model.id, model);
    },

    summaries(action) {
      return registry.list(action).flatMap((model) =>
        servedActions(model)
          .filter((served) => action === undefined || served === action)
          .map((served): ModelSummary => {
            const rules = model.actions[served] as ImageInputRules;
            return {
              id: model.id,
              action: served,
              name: model.name,
              description: model.description,
              speed: model.speed,
              quality: model.quality,
              settings_schema: settingsSchemaOf(model),
              inputs: {
                images: { ...rules.images },
                mask: rules.mask.accepted,
                mask_required: rules.mask.required,
                prompt: model.prompt[served] ?? 'none',
              },
            };
          }),
      );
    },

    prepare(request) {
      const model = byId.get(request.model_id);
      if (!model) {
        throw new DotbaseError('not_found', `Unknown model: ${request.model_id}`, { details: { model_id: request.model_id } });
      }
      const rules = model.actions[request.action];
      if (!rules) {
        const served = servedActions(model);
        throw invalid(model, [{ path: 'action', message: `${model.name} does not serve "${request.action}"; it serves: ${served.join(', ')}`, allowed: served }]);
      }
      const action = request.action;
      const prompt = promptOf(request.prompt);
      const images = request.images ?? [];
      const mask = request.mask === undefined || request.mask === '' ? undefined : request.mask;

      const issues: InputIssue[] = [
        imageCountIssue(model, action, rules, images.length),
        maskIssue(model, action, rules, mask),
        promptIssue(model, action, prompt),
      ].filter((issue): issue is InputIssue => issue !== undefined);

      const parsed = model.settings.safeParse(request.settings ?? {}, { error: settingsErrorMap });
      if (!parsed.success) {
        const knownKeys = isStrictObject(model.settings) ? Object.keys(model.settings.shape) : [];
        issues.push(...settingsIssues(parsed.error, model.name, knownKeys));
      }
      if (issues.length > 0) throw invalid(model, issues);
      // register() only admits strict object schemas, whose output is a plain record.
      const settings = parsed.data as Record<string, unknown>;
      const unified = { action, ...(prompt !== undefined ? { prompt } : {}), settings, images, ...(mask !== undefined ? { mask } : {}) };
      // Cross-field rules assume each field is valid on its own, so they run only once everything else passed.
      const crossFieldIssues = model.check?.(unified) ?? [];
      if (crossFieldIssues.length > 0) throw invalid(model, crossFieldIssues);
      return { model, settings, input: withoutUndefined(model.toInput(unified)) };
    },
  };

  for (const model of models) registry.register(model);
  return registry;
}
