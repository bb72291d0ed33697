import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError } from './errors.js';
import { queryParser } from './validate.js';

const schema = z.object({ limit: z.coerce.number().int().max(100).default(20), status: z.enum(['a', 'b']).optional() });

/** Runs `queryParser` inside a real hono request and hands back what it answered (or the error's status). */
async function parsedBy(parse: ReturnType<typeof queryParser<typeof schema>>, query: string): Promise<unknown> {
  const app = new Hono();
  let seen: unknown;
  app.get('/', (c) => {
    seen = parse(c);
    return c.body(null, 204);
  });
  app.onError((error) => new Response(null, { status: error instanceof HttpError ? error.status : 500 }));
  const response = await app.request(`/${query}`);
  return response.status === 204 ? seen : response.status;
}

describe('queryParser', () => {
  it('parses each query string once and hands the same frozen answer to repeated requests', async () => {
    const parse = queryParser(schema);
    const first = await parsedBy(parse, '?limit=12');
    expect(first).toEqual({ limit: 12 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(await parsedBy(parse, '?limit=12')).toBe(first);
    expect(await parsedBy(parse, '?limit=13')).toEqual({ limit: 13 });
    expect(await parsedBy(parse, '')).toEqual({ limit: 20 });
  });

  it('refuses a bad query every time (a failure is never remembered as an answer)', async () => {
    const parse = queryParser(schema);
    expect(await parsedBy(parse, '?limit=1000')).toBe(422);
    expect(await parsedBy(parse, '?limit=1000')).toBe(422);
    expect(await parsedBy(parse, '?status=c')).toBe(422);
  });

  it('keeps at most `size` query strings: the oldest is parsed again after being dropped', async () => {
    const parse = queryParser(schema, 2);
    const one = await parsedBy(parse, '?limit=1');
    await parsedBy(parse, '?limit=2');
    await parsedBy(parse, '?limit=3');
    const again = await parsedBy(parse, '?limit=1');
    expect(again).toEqual(one);
    expect(again).not.toBe(one);
  });
});
