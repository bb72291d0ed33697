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

/**
 * `parseWith(schema, c.req.query())`, remembered per query string: a page polled with the same URL (a history
 * view refreshing, a dashboard) is parsed and checked once, not on every request. A query that fails is not
 * remembered (it throws every time); the cache holds at most `size` query strings (of ≤ 300 characters) per
 * schema, dropping the oldest. The answer is frozen: callers share it.
 *
 * @example
 * const listQuery = queryParser(listQuerySchema);
 * const { page, limit } = listQuery(c);
 */
export function queryParser<S extends z.ZodType>(schema: S, size = 256): (c: Context) => Readonly<z.output<S>> {
  const known = new Map<string, Readonly<z.output<S>>>();
  return (c) => {
    const url = c.req.url;
    const at = url.indexOf('?');
    const search = at < 0 ? '' : url.slice(at);
    const hit = known.get(search);
    if (hit !== undefined) return hit;
    const parsed = Object.freeze(parseWith(schema, c.req.query())) as Readonly<z.output<S>>;
    // only short query strings are kept (real pages' queries are): the cache stays a few KB however it is fed
    if (search.length > 300) return parsed;
    if (known.size >= size) known.delete(known.keys().next().value as string);
    known.set(search, parsed);
    return parsed;
  };
}
