import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createDotbase } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Authenticator } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A host app's own sign-in: a header its proxy sets. */
const proxyHeader: Authenticator = {
  name: 'proxy-header',
  async authenticate(request) {
    const user = request.headers.get('x-forwarded-user');
    // x-forwarded-id lets the test try ids from the built-in namespaces, which the server must refuse
    const id = request.headers.get('x-forwarded-id') ?? `sso:${user}`;
    return user ? { id, username: user, is_admin: false } : null;
  },
};

let simulator: RunningSimulator;
let http: Server;
let url: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tokens = ['r8_mount_token_a'];
  simulator = await startSimulator({ tokens, timing: { startingMs: 20, processingMs: 60 } });
  const temp = await tempDir();
  const dotbase = createDotbase({ tokens, baseUrl: simulator.url, storage: fsStorage(temp.dir), service: { pollIntervalMs: 30 } });
  await dotbase.service.start();
  const parent = new Hono();
  parent.get('/', (c) => c.text('the host app'));
  parent.route('/dotbase', createServer({ dotbase, mode: 'replicate', basePath: '/dotbase', auth: { secret: 'mount-7Tq2ZxW9kVr4NpL8cH1mB6sYd3gJ0fA5uEoKi', apiKeys: [{ user: 'backend', key: 'key-mount-9f3ac27be01d54e8' }], authenticators: [proxyHeader] } }));
  http = createAdaptorServer({ fetch: parent.fetch }) as Server;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  cleanup = async () => {
    await new Promise((resolve) => http.close(resolve));
    await dotbase.service.stop();
    await simulator.close();
    await temp.remove();
  };
});
afterAll(async () => {
  await cleanup?.();
});

describe('createServer mounted in another Hono app', () => {
  it('serves under its path, with your own authenticator and URLs that include the mount path', async () => {
    expect(await (await fetch(`${url}/`)).text()).toBe('the host app');
    const refused = await fetch(`${url}/dotbase/api/auth/me`);
    expect(refused.status).toBe(401);
    // mounted in a host app, answers still carry dotbase's base headers
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(refused.headers.get('vary')).toBe('Origin');
    const headers = { 'x-forwarded-user': 'carol', 'content-type': 'application/json' };
    expect(await (await fetch(`${url}/dotbase/api/auth/me`, { headers })).json()).toEqual({ user: { id: 'sso:carol', username: 'carol' }, is_admin: false });

    const created = (await (await fetch(`${url}/dotbase/api/generations/create`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: 'mounted' }),
    })).json()) as { id: string };
    let generation: { status: string; output_urls: string[] };
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      generation = (await (await fetch(`${url}/dotbase/api/generations/${created.id}`, { headers })).json()) as typeof generation;
    } while (generation.status === 'processing' || generation.status === 'pending');
    expect(generation.status).toBe('completed');
    expect(generation.output_urls[0]).toMatch(new RegExp(`^${url}/dotbase/files/outputs/`));
    expect((await fetch(generation.output_urls[0]!)).status).toBe(200);
    expect(await (await fetch(`${url}/dotbase`)).text()).toContain('<dotbase-studio endpoint="/dotbase" language-switch>');
  });

  it("refuses ids your own authenticator hands out in a built-in namespace (local, telegram:…, an API-key user's)", async () => {
    for (const id of ['local', 'telegram:4242', 'Telegram:4242', 'backend', 'backend:u-1', '#0123456789abcdef']) {
      const answer = await fetch(`${url}/dotbase/api/auth/me`, { headers: { 'x-forwarded-user': 'mallory', 'x-forwarded-id': id } });
      expect(answer.status, id).toBe(401);
    }
    const fine = await fetch(`${url}/dotbase/api/auth/me`, { headers: { 'x-forwarded-user': 'carol', 'x-forwarded-id': 'sso:carol' } });
    expect(fine.status).toBe(200);
  });
});
