import type { Rng } from './prng.js';

/** A number JSON cannot spell: sent as raw text (`1e309` parses to Infinity). */
export interface RawNumber {
  raw: string;
}

const WRONG_SHAPES: readonly unknown[] = [null, [], {}, [1], { value: 1 }];
const NON_FINITE: readonly RawNumber[] = [{ raw: '1e309' }, { raw: '-1e309' }];

function numberCandidates(schema: Record<string, unknown>, integer: boolean): unknown[] {
  const { minimum, maximum, exclusiveMinimum, multipleOf } = schema as Partial<Record<'minimum' | 'maximum' | 'exclusiveMinimum' | 'multipleOf', number>>;
  const out: unknown[] = ['5', true, ...WRONG_SHAPES, ...NON_FINITE];
  if (minimum !== undefined) out.push(minimum - 1, minimum - 1e9);
  if (maximum !== undefined) out.push(maximum + 1, 1e308);
  if (exclusiveMinimum !== undefined) out.push(exclusiveMinimum, exclusiveMinimum - 0.5);
  if (integer) out.push((minimum ?? 0) + 0.5);
  if (multipleOf !== undefined && multipleOf > 1) out.push((minimum ?? 0) + 1);
  return out;
}

/**
 * A value the settings' JSON Schema property (from `GET /api/models/list`) does not allow: the wrong type, a
 * value off its enum, out of its range, not whole, not a multiple, or not finite. Null for a kind of property
 * it cannot be sure about (no `type`, no `const`).
 */
export function invalidSettingValue(rng: Rng, schema: Record<string, unknown>): { value: unknown } | null {
  const value = pickInvalid(rng, schema);
  return value === NOTHING ? null : { value };
}

const NOTHING = Symbol('no invalid value known');

function pickInvalid(rng: Rng, schema: Record<string, unknown>): unknown {
  if ('const' in schema) {
    const value = schema.const;
    return rng.pick([typeof value === 'number' ? value + 1 : 'other', String(value), null, [value]]);
  }
  switch (schema.type) {
    case 'string': {
      const choices = Array.isArray(schema.enum) ? (schema.enum as string[]) : undefined;
      const candidates: unknown[] = [7, true, ...WRONG_SHAPES];
      if (choices && choices.length > 0) {
        const first = choices[0] as string;
        candidates.push('not-a-choice', `${first} `, [first], ...[first.toUpperCase(), first.toLowerCase()].filter((value) => !choices.includes(value)));
      }
      if (typeof schema.pattern === 'string') candidates.push('../../etc/passwd', '1024 x 1024', '\u0000');
      return rng.pick(candidates);
    }
    case 'integer':
      return rng.pick(numberCandidates(schema, true));
    case 'number':
      return rng.pick(numberCandidates(schema, false));
    case 'boolean':
      return rng.pick(['true', 1, 0, 'yes', ...WRONG_SHAPES]);
    default:
      return NOTHING;
  }
}

export function isRawNumber(value: unknown): value is RawNumber {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { raw?: unknown }).raw === 'string';
}
