import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './errors.js';

export interface FieldIssue {
  /** Dotted path of the field, e.g. `settings.num_outputs` or `input_images.1`. */
  path: string;
  message: string;
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/**
 * Checks a value with a zod schema; a failure is a 422 `invalid_input` naming every wrong field.
 *
 * @example
 * const query = parseWith(listQuerySchema, c.req.query());
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({ path: dotted(issue.path), message: issue.message }));
  throw new HttpError(422, 'invalid_input', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { details: { issues } });
}

/** The request's JSON body; anything that is not JSON is a 400 rather than a crash. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
}
