import SwaggerParser from '@apidevtools/swagger-parser';
import { createDotbase } from '@dotbase/core';
import { Hono } from 'hono';
import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';

function app(options: { basePath?: string; publicUrl?: string } = {}) {
  // The document needs no running service or upstream: memory storage and a token that is never used.
  const dotbase = createDotbase({ tokens: ['r8_openapi_test'], storage: createStorage() });
  return createServer({ dotbase, mode: 'replicate', auth: { secret: 'a-secret-of-at-least-43-characters-for-the-openapi-test', anonymous: true }, ...options });
}

type Document = { servers: Array<{ url: string }>; paths: Record<string, Record<string, { operationId?: string }>> };

async function documentOf(fetcher: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, path: string): Promise<Document> {
  // as a real request would, with the Host header the server insists on
  const response = await fetcher.request(path, { headers: { host: '127.0.0.1' } });
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (checked by swagger-parser against the specification)', async () => {
    const document = await documentOf(app(), '/openapi.json');
    // validate() dereferences in place and throws with every problem it finds
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('names every operation with a unique operationId', async () => {
    const document = await documentOf(app(), '/openapi.json');
    const ids = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));
    expect(ids.length).toBeGreaterThanOrEqual(20);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents every route the app serves under /api and /files, and nothing it does not serve', async () => {
    const server = app();
    const document = await documentOf(server, '/openapi.json');
    const served = new Set(
      server.routes
        .filter((route) => route.method !== 'ALL' && route.method !== 'OPTIONS' && /^\/(api|files)\//.test(route.path))
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/^\/files\/\*$/, '/files/{key}')}`),
    );
    const documented = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`)));
    expect([...documented].sort()).toEqual([...served].sort());
    expect(documented.has('get /files/{key}')).toBe(true);
  });

  it('gives the mount path as its server, so generated clients call the mounted API', async () => {
    const standalone = await documentOf(app(), '/openapi.json');
    expect(standalone.servers).toEqual([{ url: '/' }]);

    const parent = new Hono();
    parent.route('/dotbase', app({ basePath: '/dotbase' }));
    const mounted = await documentOf(parent, '/dotbase/openapi.json');
    expect(mounted.servers).toEqual([{ url: '/dotbase' }]);

    const behindProxy = await documentOf(app({ basePath: '/dotbase', publicUrl: 'https://images.example.com/dotbase' }), '/openapi.json');
    expect(behindProxy.servers).toEqual([{ url: 'https://images.example.com/dotbase' }]);
  });
});
