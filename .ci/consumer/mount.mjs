// (c) the app's own Hono app mounts the dotbase API under /dotbase; its OpenAPI document and widget follow.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDotbase } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { createServer } from '@dotbase/server';
import { Hono } from 'hono';
import { assert } from './lib.mjs';

// as a real request would, with the Host header the server insists on
const get = (app, path) => app.request(path, { headers: { host: '127.0.0.1' } });

const dir = await mkdtemp(join(tmpdir(), 'dotbase-consumer-mount-'));
const storage = fsStorage(dir);
try {
  const dotbase = createDotbase({ tokens: ['r8_unused'], storage });
  const app = new Hono();
  app.get('/', (c) => c.text('my app'));
  app.route('/dotbase', createServer({ dotbase, mode: 'replicate', basePath: '/dotbase', auth: { secret: 'consumer-test-secret-of-at-least-43-characters-long', anonymous: true } }));

  assert((await (await get(app, '/')).text()) === 'my app', 'the host route is gone');
  const health = await get(app, '/dotbase/api/health');
  assert(health.status === 200, `/dotbase/api/health answered ${health.status}`);
  const document = await (await get(app, '/dotbase/openapi.json')).json();
  assert(document.servers?.[0]?.url === '/dotbase', `OpenAPI servers: ${JSON.stringify(document.servers)}`);
  assert(document.paths['/files/{key}'], 'OpenAPI has no /files/{key}');
  const widget = await get(app, '/dotbase/widget.js');
  assert(widget.status === 200, `/dotbase/widget.js answered ${widget.status} (mounted servers find the widget too)`);
  console.log(`mounted at /dotbase: health 200, OpenAPI servers ${JSON.stringify(document.servers)}, ${Object.keys(document.paths).length} paths, widget served`);
} finally {
  await storage.dispose();
  await rm(dir, { recursive: true, force: true });
}
