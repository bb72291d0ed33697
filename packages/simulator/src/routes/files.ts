import { Hono } from 'hono';
import type { Engine } from '../engine.js';
import type { SimulatorEnv } from '../http/env.js';
import { NOT_FOUND_DETAIL, problem } from '../http/problem.js';
import { toFileJson } from '../storage/file-store.js';

const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** `metadata` arrives as a form string or (from the SDK) as a JSON blob. */
async function readMetadata(value: unknown): Promise<Record<string, unknown> | undefined> {
  if (value === undefined) return {};
  const text = value instanceof Blob ? await value.text() : String(value);
  try {
    const parsed: unknown = JSON.parse(text || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `/v1/files`: multipart upload (`content`, `filename`, `type`, `metadata`), list, get, delete; scoped per token. */
export function fileRoutes(engine: Engine): Hono<SimulatorEnv> {
  const app = new Hono<SimulatorEnv>();
  const json = (file: Parameters<typeof toFileJson>[0]) => toFileJson(file, engine.address.apiBase);

  app.post('/', async (c) => {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      return problem(c, 400, 'Expected a multipart/form-data body');
    }
    const content = form.content;
    if (!(content instanceof File)) return problem(c, 422, '- content: a file is required\n');
    if (content.size > MAX_FILE_BYTES) return problem(c, 413, `Files are limited to ${MAX_FILE_BYTES} bytes`);
    const metadata = await readMetadata(form.metadata);
    if (!metadata) return problem(c, 422, '- metadata: must be a JSON object\n');
    const name = typeof form.filename === 'string' && form.filename ? form.filename : content.name || 'file';
    const contentType = (typeof form.type === 'string' && form.type) || content.type || 'application/octet-stream';
    const file = engine.files.create(c.get('token'), { name, contentType, metadata, bytes: Buffer.from(await content.arrayBuffer()) }, Date.now());
    return c.json(json(file), 201);
  });

  app.get('/', (c) => c.json({ next: null, previous: null, results: engine.files.listFor(c.get('token'), Date.now()).map(json) }));

  app.get('/:id', (c) => {
    const file = engine.files.getFor(c.get('token'), c.req.param('id'), Date.now());
    return file ? c.json(json(file)) : problem(c, 404, NOT_FOUND_DETAIL);
  });

  app.delete('/:id', (c) => {
    const file = engine.files.getFor(c.get('token'), c.req.param('id'), Date.now());
    if (!file) return problem(c, 404, NOT_FOUND_DETAIL);
    engine.files.delete(file.id);
    return c.body(null, 204);
  });

  return app;
}
