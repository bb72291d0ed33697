import type { JsonSchema } from '../../api/types.js';

/** One form control derived from a property of a model's settings schema. */
export type SettingsField =
  | FieldBase<'select'> & { options: (string | number)[] }
  | FieldBase<'number'> & { integer: boolean; min?: number; max?: number; step: number | 'any' }
  | FieldBase<'boolean'>
  | FieldBase<'text'>;

interface FieldBase<K extends string> {
  kind: K;
  name: string;
  title?: string;
  description?: string;
  default?: unknown;
  required: boolean;
  /** Shown before the "more settings" fold. */
  primary: boolean;
}

/** The unified settings every user looks for first; the rest of a model's own fields fold away. */
const PRIMARY = ['aspect_ratio', 'num_outputs', 'seed', 'output_format', 'size', 'scale', 'scale_factor', 'style'];

/** zod writes `.nullable()` as `anyOf: [T, {type: 'null'}]`: the form shows T. */
function unwrap(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const real = branches.filter((branch) => branch.type !== 'null');
  if (real.length === 1 && real[0]) return { ...real[0], ...pick(schema) };
  const constants = real.filter((branch) => branch.const !== undefined).map((branch) => branch.const);
  if (constants.length === real.length && constants.length > 0) return { enum: constants, ...pick(schema) };
  return schema;
}

function pick(schema: JsonSchema): JsonSchema {
  const kept: JsonSchema = {};
  if (schema.default !== undefined) kept.default = schema.default;
  if (schema.description !== undefined) kept.description = schema.description;
  if (schema.title !== undefined) kept.title = schema.title;
  return kept;
}

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/**
 * Turns a model's settings schema into form fields: enums become selects, numbers keep their ranges, booleans
 * become checkboxes, other strings text inputs. Order follows the schema, primary settings first.
 */
export function schemaFields(schema: JsonSchema | undefined): SettingsField[] {
  const required = new Set(schema?.required ?? []);
  const fields: SettingsField[] = [];
  for (const [name, raw] of Object.entries(schema?.properties ?? {})) {
    const property = unwrap(raw);
    const base = {
      name,
      required: required.has(name) && property.default === undefined,
      primary: PRIMARY.includes(name),
      ...(property.title === undefined ? {} : { title: property.title }),
      ...(property.description === undefined ? {} : { description: property.description }),
      ...(property.default === undefined ? {} : { default: property.default }),
    };
    const type = typeOf(property);
    const options = property.enum ?? (property.const !== undefined ? [property.const] : undefined);
    if (options && options.length === 1) {
      // A single allowed value (zod's literal, e.g. `num_outputs: 1` on one-image models) leaves nothing to choose.
      continue;
    } else if (options) {
      fields.push({ ...base, kind: 'select', options: options.filter((o): o is string | number => typeof o === 'string' || typeof o === 'number') });
    } else if (type === 'integer' || type === 'number') {
      const integer = type === 'integer';
      const min = property.minimum ?? property.exclusiveMinimum;
      const max = property.maximum ?? property.exclusiveMaximum;
      fields.push({
        ...base,
        kind: 'number',
        integer,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
        step: property.multipleOf ?? (integer ? 1 : 'any'),
      });
    } else if (type === 'boolean') {
      fields.push({ ...base, kind: 'boolean' });
    } else {
      fields.push({ ...base, kind: 'text' });
    }
  }
  return [...fields.filter((field) => field.primary), ...fields.filter((field) => !field.primary)];
}

/**
 * The settings to send: what the user changed, without values equal to the schema default (so the server applies
 * its own defaults, and settings reused from an old generation don't pin defaults that depend on other fields).
 */
export function settingsToSend(fields: SettingsField[], values: Record<string, unknown>): Record<string, unknown> {
  const known = new Map(fields.map((field) => [field.name, field]));
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = known.get(name);
    if (!field || value === undefined || value === '' || value === null) continue;
    if (field.default !== undefined && field.default === value) continue;
    result[name] = value;
  }
  return result;
}

/** Converts an input's text to the field's type; `undefined` means "not set". */
export function parseFieldValue(field: SettingsField, raw: string | boolean): unknown {
  if (field.kind === 'boolean') return Boolean(raw);
  const text = String(raw);
  if (text === '') return undefined;
  if (field.kind === 'number') return Number(text);
  if (field.kind === 'select') return field.options.find((option) => String(option) === text);
  return text;
}
