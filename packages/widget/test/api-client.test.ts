import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api/client.js';
import { ApiError } from '../src/api/errors.js';
import { ACTIONS, type Generation } from '../src/api/types.js';
import { watchGeneration } from '../src/api/watch.js';
import { schemaFields } from '../src/components/settings-form/schema-fields.js';
import { startApiServer, type ApiServer } from './harness/api-server.js';

let api: ApiServer;
let client: ApiClient;
beforeAll(async () => {
  api = await startApiServer({ corsOrigins: [] });
  client = new ApiClient({ endpoint: `${api.url}/` });
}, 30_000);
afterAll(() => api?.close());

/** A real HTTP hop in front of the API whose event streams always fail, as behind a proxy that buffers SSE. */
async function proxyWithoutStreams(target: string): Promise<{ url: string; streamsRefused: () => number; close(): Promise<void> }> {
  let refused = 0;
  const server: Server = createServer(async (request, response) => {
    if (request.url?.endsWith('/events')) {
      refused += 1;
      response.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'unavailable', message: 'no streaming here' } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method ?? 'GET',
      headers: { 'Content-Type': request.headers['content-type'] ?? 'application/json' },
      body: chunks.length > 0 ? Buffer.concat(chunks) : null,
    });
    response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streamsRefused: () => refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('ApiClient against the real server', () => {
  it('reads health and the signed-in user (anonymous on loopback)', async () => {
    expect(await client.health()).toMatchObject({ mode: 'simulator' });
    expect((await client.me()).user.id).toBeTruthy();
  });

  it('turns every model settings schema of every action into form fields', async () => {
    let models = 0;
    for (const action of ACTIONS) {
      for (const model of await client.models(action)) {
        models += 1;
        const fields = schemaFields(model.settings_schema);
        const properties = Object.keys(model.settings_schema.properties ?? {});
        // Only single-valued settings (nothing to choose) are left out.
        const missing = properties.filter((name) => !fields.some((field) => field.name === name));
        for (const name of missing) expect(model.settings_schema.properties![name], `${model.id}.${name}`).toHaveProperty('const');
        for (const field of fields) {
          if (field.kind === 'select') expect(field.options.length, `${model.id}.${field.name}`).toBeGreaterThan(1);
          if (field.kind === 'select' && field.default !== undefined) expect(field.options, `${model.id}.${field.name}`).toContain(field.default);
        }
      }
    }
    expect(models).toBeGreaterThanOrEqual(19);
  });

  it('follows a generation live over SSE to completion', async () => {
    const { id } = await client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'a kite', settings: {} });
    const updates: { status: string; progress: number | null; via: string }[] = [];
    const final = await watchGeneration(client, id, { signal: new AbortController().signal, onUpdate: (g, via) => updates.push({ status: g.status, progress: g.progress, via }) });
    expect(final.status).toBe('completed');
    expect(final.output_urls[0]).toMatch(new RegExp(`^${api.url}/files/outputs/`));
    expect(new Set(updates.map((update) => update.via))).toEqual(new Set(['stream']));
    expect(updates.at(-1)!.status).toBe('completed');
    const progress = updates.map((update) => update.progress ?? 0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('falls back to polling when the event stream is refused', async () => {
    const proxy = await proxyWithoutStreams(api.url);
    try {
      const viaProxy = new ApiClient({ endpoint: proxy.url });
      const { id } = await viaProxy.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'a boat', settings: {} });
      const vias: string[] = [];
      const final = await watchGeneration(viaProxy, id, { signal: new AbortController().signal, pollIntervalMs: 50, onUpdate: (_g, via) => vias.push(via) });
      expect(final.status).toBe('completed');
      expect(proxy.streamsRefused()).toBe(1);
      expect(new Set(vias)).toEqual(new Set(['poll']));
    } finally {
      await proxy.close();
    }
  });

  it('stops watching when aborted', async () => {
    const { id } = await client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'a bell', settings: {} });
    const abort = new AbortController();
    const seen: Generation[] = [];
    const watching = watchGeneration(client, id, { signal: abort.signal, onUpdate: (g) => seen.push(g) });
    abort.abort();
    await expect(watching).rejects.toMatchObject({ code: 'aborted' });
  });

  it('reports server errors as ApiError with the server code', async () => {
    const unknownModel = await client.createGeneration({ action: 'create', model_id: 'no-such-model', prompt: 'x', settings: {} }).catch((error: unknown) => error);
    expect(unknownModel).toBeInstanceOf(ApiError);
    expect((unknownModel as ApiError).status).toBeGreaterThanOrEqual(400);
    expect((unknownModel as ApiError).status).toBeLessThan(500);
    const badSetting = await client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'x', settings: { num_outputs: 99 } }).catch((e: unknown) => e);
    expect(badSetting).toMatchObject({ code: 'invalid_input', status: expect.any(Number) });
    const missing = await client.generation('00000000-0000-0000-0000-000000000000').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
    const unreachable = await new ApiClient({ endpoint: 'http://127.0.0.1:1' }).health().catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ code: 'network_error', status: 0 });
  });
});
