import type { FieldSpec } from './fields.js';
import type { CatalogModel, ValidInput } from './types.js';

/** One entry of Replicate's `invalid_fields` list in a 422 answer. */
export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

export type ValidationResult = { ok: true; input: ValidInput } | { ok: false; invalid: InvalidField[] };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function quoteList(values: readonly (string | number)[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

/** Checks one present value against its spec, in the wording Cog/Replicate use. */
function checkField(name: string, spec: FieldSpec, value: unknown): InvalidField | undefined {
  const field = `input.${name}`;
  const invalidType = (): InvalidField => ({
    type: 'invalid_type',
    field,
    description: `Invalid type. Expected: ${spec.type}, given: ${typeName(value)}`,
  });
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return invalidType();
      if (spec.enum && !spec.enum.includes(value)) {
        return { type: 'enum', field, description: `${field} must be one of the following: ${quoteList(spec.enum)}` };
      }
      if (spec.pattern && !new RegExp(spec.pattern).test(value)) {
        return { type: 'pattern', field, description: `Does not match pattern '${spec.pattern}'` };
      }
      return undefined;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalidType();
      if (spec.type === 'integer' && !Number.isInteger(value)) return invalidType();
      if (spec.enum && !spec.enum.includes(value)) {
        return { type: 'enum', field, description: `${field} must be one of the following: ${quoteList(spec.enum)}` };
      }
      if (spec.minimum !== undefined && value < spec.minimum) {
        return { type: 'number_gte', field, description: `Must be greater than or equal to ${spec.minimum}` };
      }
      if (spec.maximum !== undefined && value > spec.maximum) {
        return { type: 'number_lte', field, description: `Must be less than or equal to ${spec.maximum}` };
      }
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : invalidType();
    case 'array': {
      if (!Array.isArray(value)) return invalidType();
      const notString = value.findIndex((item) => typeof item !== 'string');
      if (notString !== -1) {
        return { type: 'invalid_type', field: `${field}.${notString}`, description: `Invalid type. Expected: string, given: ${typeName(value[notString])}` };
      }
      if (spec.minItems !== undefined && value.length < spec.minItems) {
        return { type: 'array_min_items', field, description: `Array must have at least ${spec.minItems} items` };
      }
      if (spec.maxItems !== undefined && value.length > spec.maxItems) {
        return { type: 'array_max_items', field, description: `Array must have at most ${spec.maxItems} items` };
      }
      return undefined;
    }
  }
}

/**
 * Validates a prediction's `input` against the model's fields and fills in defaults. `null` counts as absent,
 * as Cog treats it. Strict models refuse fields they do not declare.
 */
export function validateInput(model: CatalogModel, raw: unknown): ValidationResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, invalid: [{ type: 'invalid_type', field: 'input', description: `Invalid type. Expected: object, given: ${typeName(raw)}` }] };
  }
  const given = raw as Record<string, unknown>;
  const invalid: InvalidField[] = [];
  const input: ValidInput = {};
  if (model.strict) {
    for (const name of Object.keys(given)) {
      if (!(name in model.fields)) {
        invalid.push({ type: 'additional_property_not_allowed', field: 'input', description: `Additional property ${name} is not allowed` });
      }
    }
  } else {
    Object.assign(input, given);
  }
  for (const [name, spec] of Object.entries(model.fields)) {
    const value = given[name];
    if (value === undefined || value === null) {
      if (spec.required) invalid.push({ type: 'required', field: 'input', description: `${name} is required` });
      else if (spec.default !== undefined) input[name] = spec.default;
      else delete input[name];
      continue;
    }
    const problem = checkField(name, spec, value);
    if (problem) invalid.push(problem);
    else input[name] = value;
  }
  if (invalid.length === 0 && model.check) {
    const crossField = model.check(input);
    if (crossField) invalid.push({ type: 'invalid', ...crossField });
  }
  return invalid.length === 0 ? { ok: true, input } : { ok: false, invalid };
}

/** The `detail` text Replicate sends with a 422: one `- field: description` line per problem. */
export function describeInvalid(invalid: readonly InvalidField[]): string {
  return invalid.map((problem) => `- ${problem.field}: ${problem.description}\n`).join('');
}
