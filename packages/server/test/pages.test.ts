import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

let server: TestServer;
let missing: TestServer;
let widget: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  widget = await tempDir();
  await mkdir(widget.dir, { recursive: true });
  await writeFile(join(widget.dir, 'dotbase-studio.iife.js'), 'var DotbaseWidget = 1;');
  await writeFile(join(widget.dir, 'dotbase-studio.js'), 'export const studio = 1;');
  await writeFile(join(widget.dir, 'dotbase-admin.js'), 'export const admin = 1;');
  await writeFile(join(widget.dir, 'dotbase-ru.js'), 'export default { ru: 1 };');
  server = await startTestServer({}, { widgetDir: widget.dir });
  missing = await startTestServer({}, { widgetDir: join(widget.dir, 'nowhere') });
});
afterAll(async () => {
  await server?.close();
  await missing?.close();
  await widget?.remove();
});

describe('the page and the widget bundles', () => {
  it('/ is a page running the widget against this same server', async () => {
    const response = await server.fetch('/');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<script src="/widget.js"></script>');
    expect(html).toContain('<dotbase-studio endpoint="" language-switch></dotbase-studio>');
    expect(html).toContain('prefers-color-scheme:dark');
  });

  it('serves /widget.js (classic script) and /widget.mjs (module) from the build, with ETags', async () => {
    const classic = await server.fetch('/widget.js');
    expect(classic.status).toBe(200);
    expect(classic.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await classic.text()).toBe('var DotbaseWidget = 1;');
    const module = await server.fetch('/widget.mjs');
    expect(await module.text()).toBe('export const studio = 1;');
    // browsers load ES modules with CORS: a page on another origin must be allowed to import it
    expect(module.headers.get('access-control-allow-origin')).toBe('*');
    const again = await server.fetch('/widget.js', { headers: { 'if-none-match': classic.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // the admin dashboard's own bundle, beside the scripts, which the studio imports relative to itself
    const admin = await server.fetch('/dotbase-admin.js');
    expect(admin.status).toBe(200);
    expect(await admin.text()).toBe('export const admin = 1;');
    expect(admin.headers.get('access-control-allow-origin')).toBe('*');
    // the Russian strings, also beside the scripts, which the studio imports only when Russian is asked for
    const russian = await server.fetch('/dotbase-ru.js');
    expect(russian.status).toBe(200);
    expect(russian.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await russian.text()).toBe('export default { ru: 1 };');
    expect(russian.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a JSON 404 that says how to build the widget when it is not built', async () => {
    const response = await missing.fetch('/widget.js');
    expect(response.status).toBe(404);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe('widget_not_built');
    expect(body.error.message).toMatch(/widget build/);
  });
});

describe('GET /openapi.json', () => {
  it('documents every route, with request schemas from the same zod schemas the routes use', async () => {
    const { status, body } = await server.json('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/models/list',
        '/api/generations/create',
        '/api/generations/list',
        '/api/generations/{id}',
        '/api/generations/{id}/cancel',
        '/api/generations/{id}/favorite',
        '/api/generations/{id}/events',
        '/api/generations/{id}/deliveries',
        '/api/webhooks/secret',
        '/api/webhooks/secret/rotate',
        '/api/batches',
        '/api/batches/{id}',
        '/api/batches/{id}/cancel',
        '/api/batches/{id}/download',
        '/api/uploads',
        '/api/uploads/{name}',
        '/api/webhooks/replicate',
        '/api/auth/telegram',
        '/api/auth/me',
        '/api/auth/logout',
        '/api/auth/embed-tokens',
        '/api/admin/tokens',
        '/api/admin/tokens/{id}',
        '/api/admin/stats',
        '/api/admin/activity',
        '/api/admin/users',
      ]),
    );
    const create = body.paths['/api/generations/create'].post.requestBody.content['application/json'].schema;
    expect(create.properties.action.enum).toEqual(['create', 'edit', 'upscale', 'remove-bg']);
    expect(create.properties.prompt.maxLength).toBe(4000);
    expect(create.required).toEqual(['action', 'model_id']);
    expect(body.paths['/api/generations/create'].post.parameters).toEqual([
      expect.objectContaining({ name: 'Prefer', in: 'header', required: false }),
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
    expect(body.paths['/api/batches'].post.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
    const list = body.paths['/api/generations/list'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(['page', 'limit', 'action', 'status', 'q', 'favorite']);
    expect(body.paths['/api/generations/{id}/favorite'].put.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(Object.keys(body.paths['/api/generations/{id}/favorite'])).toEqual(['put', 'delete']);
    expect(body.paths['/api/generations/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });
});
