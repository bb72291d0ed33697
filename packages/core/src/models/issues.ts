import type { z } from 'zod';
import type { InputIssue } from './types.js';

function list(values: readonly unknown[]): string {
  return values.map((value) => String(value)).join(', ');
}

function bound(issue: { inclusive?: boolean }, word: 'least' | 'most', limit: number | bigint): string {
  return issue.inclusive === false ? `must be ${word === 'least' ? 'more' : 'less'} than ${limit}` : `must be at ${word} ${limit}`;
}

/**
 * Messages for settings that fail their schema, written for the person who filled the form. Passed to `safeParse`;
 * a message a schema sets itself (e.g. `singleOutput`) takes precedence.
 */
export const settingsErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of: ${list(issue.values)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return bound(issue, 'least', issue.minimum);
    case 'too_big':
      return bound(issue, 'most', issue.maximum);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${issue.pattern}` : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};

/**
 * Turns zod's issues for `settings` into dotbase issues: one per field, the path prefixed with `settings.`, the
 * allowed values attached for enums, and each unknown key named with the settings the model does have.
 */
export function settingsIssues(error: z.ZodError, modelName: string, knownKeys: readonly string[]): InputIssue[] {
  return error.issues.flatMap((issue): InputIssue[] => {
    const path = ['settings', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys.length > 0 ? `its settings are: ${knownKeys.join(', ')}` : 'it takes no settings';
      return issue.keys.map((key) => ({ path: `${path}.${key}`, message: `${modelName} has no setting "${key}" (${known})` }));
    }
    if (issue.code === 'invalid_value') return [{ path, message: issue.message, allowed: issue.values }];
    return [{ path, message: issue.message }];
  });
}

/** The one-line summary a `DotbaseError` carries; the issues themselves go in `details`. */
export function describeIssues(modelName: string, issues: readonly InputIssue[]): string {
  return `Invalid request for ${modelName}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
}
