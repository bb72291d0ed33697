/**
 * A model input field, described as data in the subset of JSON Schema that Cog models publish.
 * The same description drives input validation (422s) and the `openapi_schema` served by `GET /models/...`.
 */
export type FieldSpec = StringField | NumberField | BooleanField | UriListField;

interface BaseField {
  description?: string;
  required?: boolean;
}

export interface StringField extends BaseField {
  type: 'string';
  default?: string;
  enum?: readonly string[];
  /** A regular expression the whole value must match. */
  pattern?: string;
  /** `uri` marks an image input: a data URL, a simulator file/output URL or an http(s) URL. */
  format?: 'uri';
}

export interface NumberField extends BaseField {
  type: 'integer' | 'number';
  default?: number;
  minimum?: number;
  maximum?: number;
  enum?: readonly number[];
}

export interface BooleanField extends BaseField {
  type: 'boolean';
  default?: boolean;
}

/** A list of image inputs, e.g. Nano Banana's `image_input`. */
export interface UriListField extends BaseField {
  type: 'array';
  items: { type: 'string'; format: 'uri' };
  default?: string[];
  minItems?: number;
  maxItems?: number;
}

export type FieldMap = Record<string, FieldSpec>;

type Extra = Omit<BaseField, never>;

/** Free text such as a prompt. */
export function text(options: Extra & { default?: string; pattern?: string } = {}): StringField {
  return { type: 'string', ...options };
}

/** One of a fixed set of strings. */
export function choice(values: readonly string[], defaultValue: string, options: Extra = {}): StringField {
  return { type: 'string', enum: values, default: defaultValue, ...options };
}

/** An integer, optionally bounded. */
export function int(options: Extra & { minimum?: number; maximum?: number; default?: number; enum?: readonly number[] } = {}): NumberField {
  return { type: 'integer', ...options };
}

/** A number, optionally bounded. */
export function num(options: Extra & { minimum?: number; maximum?: number; default?: number } = {}): NumberField {
  return { type: 'number', ...options };
}

export function flag(defaultValue: boolean, options: Extra = {}): BooleanField {
  return { type: 'boolean', default: defaultValue, ...options };
}

/** One image input. */
export function image(options: Extra = {}): StringField {
  return { type: 'string', format: 'uri', ...options };
}

/** Several image inputs. */
export function images(options: Extra & { minItems?: number; maxItems?: number } = {}): UriListField {
  return { type: 'array', items: { type: 'string', format: 'uri' }, default: [], ...options };
}

/** The random seed field most models share. */
export function seed(): NumberField {
  return int({ description: 'Random seed. Set for reproducible generation' });
}
