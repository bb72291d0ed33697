import type { FieldSpec } from './fields.js';
import type { CatalogModel } from './types.js';

type JsonSchema = Record<string, unknown>;

function titleOf(name: string): string {
  return name
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * The model's OpenAPI document in the shape Cog publishes on Replicate: the input schema at
 * `components.schemas.Input`, enums as separate named schemas referenced through `allOf`, `x-order` for field order.
 */
export function openApiSchemaOf(model: CatalogModel): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const enums: Record<string, JsonSchema> = {};
  const required: string[] = [];
  Object.entries(model.fields).forEach(([name, spec], order) => {
    if (spec.required) required.push(name);
    properties[name] = propertyOf(name, spec, order, enums);
  });
  const input: JsonSchema = { type: 'object', title: 'Input', properties, ...(required.length > 0 ? { required } : {}) };
  const uri = { type: 'string', format: 'uri' };
  const output: JsonSchema = model.output === 'list' ? { type: 'array', title: 'Output', items: uri } : { ...uri, title: 'Output' };
  return {
    openapi: '3.0.2',
    info: { title: 'Cog', version: '0.1.0' },
    paths: {},
    components: { schemas: { Input: input, Output: output, ...enums } },
  };
}

function propertyOf(name: string, spec: FieldSpec, order: number, enums: Record<string, JsonSchema>): JsonSchema {
  const { required: _required, enum: values, ...rest } = spec as FieldSpec & { enum?: readonly unknown[] };
  const common = { title: titleOf(name), 'x-order': order, ...(spec.description ? { description: spec.description } : {}) };
  if (values) {
    enums[name] = { title: name, description: 'An enumeration.', enum: values, type: spec.type };
    const defaults = 'default' in spec && spec.default !== undefined ? { default: spec.default } : {};
    return { ...common, ...defaults, allOf: [{ $ref: `#/components/schemas/${name}` }] };
  }
  return { ...rest, ...common };
}
