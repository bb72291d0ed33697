import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFetch } from '../net/api-fetch.js';
import { createReplicateProvider } from './replicate.js';

const TOKEN = 'r8_provider_test';
const FLUX = { kind: 'official', slug: 'black-forest-labs/flux-schnell' } as const;

// the portable default (the runtime's fetch) and what the Node server passes (undici's request API underneath)
describe.each([
  ['the global fetch', undefined],
  ['createApiFetch', createApiFetch()],
] as const)('Replicate provider against the simulator (real SDK) over %s', (_name, apiFetch) => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  const over = apiFetch ? { fetch: apiFetch } : {};
  const provider = () => createReplicateProvider({ baseUrl: simulator.url, ...over });

  beforeAll(async () => {
    simulator = await startSimulator({ tokens: [TOKEN], timing: { startingMs: 10, processingMs: 30 } });
  });
  afterAll(() => simulator.close());

  it('submits on the official route and reads the prediction back', async () => {
    const created = await provider().submit(TOKEN, { route: FLUX, input: { prompt: 'a fox' } });
    expect(created.id).toBeTruthy();
    const fetched = await provider().get(TOKEN, created.id);
    expect(fetched.id).toBe(created.id);
  });

  it('turns a 429 into rate_limited with Retry-After, sending the create once', async () => {
    simulator.setFaults([{ kind: 'rate_limit', times: 1, retryAfterSeconds: 7 }]);
    const before = simulator.stats().creates;
    await expect(provider().submit(TOKEN, { route: FLUX, input: { prompt: 'x' } })).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 7000 });
    // the SDK's own immediate 429 retries are neutralised: the pool owns retries
    expect(simulator.stats().creates - before).toBeLessThanOrEqual(1);
  });

  it("reads Replicate's ~Ns hint when there is no Retry-After header", async () => {
    simulator.setFaults([{ kind: 'rate_limit', times: 1, retryAfterSeconds: 12, retryAfter: false }]);
    await expect(provider().submit(TOKEN, { route: FLUX, input: { prompt: 'x' } })).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 12_000 });
  });

  it('maps 401, 422, 404, 5xx and dropped connections to typed errors without leaking the token', async () => {
    const failure = await provider().submit('r8_unknown_secret', { route: FLUX, input: { prompt: 'x' } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'unauthorized' });
    expect(String((failure as Error).message)).not.toContain('r8_unknown_secret');
    await expect(provider().submit(TOKEN, { route: FLUX, input: { prompt: 'x', aspect_ratio: '7:5' } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('aspect_ratio'),
    });
    await expect(provider().submit(TOKEN, { route: { kind: 'official', slug: 'nobody/nothing' }, input: {} })).rejects.toMatchObject({ code: 'not_found' });
    simulator.setFaults([{ kind: 'server_error', times: 1, status: 503 }]);
    await expect(provider().submit(TOKEN, { route: FLUX, input: { prompt: 'x' } })).rejects.toMatchObject({ code: 'upstream_error', upstreamStatus: 503 });
    simulator.setFaults([{ kind: 'drop', times: 1 }]);
    await expect(provider().submit(TOKEN, { route: FLUX, input: { prompt: 'x' } })).rejects.toMatchObject({ code: 'network_error' });
    simulator.setFaults([]);
  });

  it('follows a redirect on a create (sent without one first, so its body is not copied), creating once', async () => {
    // a loopback proxy in front of the simulator that moved its API: under /old/… every request is answered 307
    // to the same path without /old (same origin, so the token goes along); everything else is passed through
    let redirected = 0;
    const target = new URL(simulator.url);
    const redirector: Server = createServer((incoming, outgoing) => {
      if (incoming.url?.startsWith('/old/')) {
        redirected += 1;
        incoming.resume();
        outgoing.writeHead(307, { location: incoming.url.slice('/old'.length) }).end();
        return;
      }
      const upstream = request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      const before = simulator.stats().creates;
      const moved = createReplicateProvider({ baseUrl: `http://127.0.0.1:${port}/old${target.pathname}`, ...over });
      const created = await moved.submit(TOKEN, { route: FLUX, input: { prompt: 'a fox' } });
      expect(created.id).toBeTruthy();
      expect(simulator.stats().creates - before).toBe(1);
      // first without following (refused at the redirect), then the ordinary way; createApiFetch sends that one
      // itself once more before leaving the redirect to fetch, which follows it
      expect(redirected).toBe(apiFetch ? 3 : 2);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it('uploads a file and downloads an output', async () => {
    const url = await provider().uploadFile(TOKEN, new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png', 'x.png');
    expect(url).toMatch(/^http/);
    await expect(provider().download(`${simulator.origin}/outputs/missing.png`)).rejects.toMatchObject({ code: 'output_unavailable' });
  });
});
