import { createServer, Socket, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startStack, useStacks } from './helpers.js';

const USER = 'user-f';
const { cleanups, stackWith } = useStacks();

async function createAndWait(stack: Awaited<ReturnType<typeof startStack>>, count: number, timeoutMs = 20_000) {
  const created = await Promise.all(
    Array.from({ length: count }, (_, i) => stack.dotbase.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: `fault ${i}` })),
  );
  return Promise.all(created.map((g) => stack.dotbase.service.wait(USER, g.id, { timeoutMs })));
}

describe('faults between dotbase and Replicate (each bounded in time)', () => {
  it('rides out a 429 storm that sends Retry-After', async () => {
    const stack = await stackWith();
    stack.simulator.setFaults([{ kind: 'rate_limit', times: 6, retryAfterSeconds: 1 }]);
    const done = await createAndWait(stack, 3);
    expect(done.map((g) => g?.status)).toEqual(['completed', 'completed', 'completed']);
    expect(stack.simulator.stats().rateLimited).toBe(6);
  });

  it("rides out a 429 storm without Retry-After, using Replicate's ~Ns hint", async () => {
    const stack = await stackWith();
    stack.simulator.setFaults([{ kind: 'rate_limit', times: 6, retryAfterSeconds: 1, retryAfter: false }]);
    const done = await createAndWait(stack, 3);
    expect(done.every((g) => g?.status === 'completed')).toBe(true);
    const cooled = (await stack.dotbase.pool.stats()).filter((t) => t.error_count > 0);
    expect(cooled.length).toBeGreaterThan(0);
  });

  it('retries 5xx bursts on creates and on polls', async () => {
    const stack = await stackWith();
    // a burst smaller than one create's attempts (5): absorbed entirely, creates and polls alike
    stack.simulator.setFaults([
      { kind: 'server_error', times: 2, status: 502 },
      { kind: 'server_error', on: 'all', times: 2, status: 503 },
    ]);
    const done = await createAndWait(stack, 4);
    expect(done.every((g) => g?.status === 'completed')).toBe(true);
    expect(stack.simulator.stats().faultsInjected).toBe(4);
  });

  it('retries dropped connections', async () => {
    const stack = await stackWith();
    stack.simulator.setFaults([{ kind: 'drop', on: 'all', times: 5 }]);
    const done = await createAndWait(stack, 4);
    expect(done.every((g) => g?.status === 'completed')).toBe(true);
  });

  it('survives Replicate being unreachable for 10 s: running work completes, new work fails clearly', async () => {
    const stack = await stackWith({ simulator: { timing: { startingMs: 20, processingMs: 2_000 } } });
    const proxy = await startProxy(new URL(stack.simulator.origin).port);
    cleanups.push(() => proxy.close());
    const { createDotbase } = await import('../src/index.js');
    const viaProxy = createDotbase({
      tokens: ['r8_test_token_alpha', 'r8_test_token_bravo', 'r8_test_token_charlie'],
      baseUrl: `${proxy.origin}/v1`,
      // the proxy fronts the API only: outputs still come from the simulator's own origin
      outputHosts: [new URL(stack.simulator.origin).host],
      storage: stack.dotbase.storage,
      service: { pollIntervalMs: 100 },
    });
    await viaProxy.service.start();
    cleanups.push(() => viaProxy.service.stop());

    const running = await Promise.all(
      [1, 2, 3].map((i) => viaProxy.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: `outage ${i}` })),
    );
    proxy.down();
    const during = await viaProxy.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'during' }).catch((e: unknown) => e);
    expect(during).toMatchObject({ code: expect.stringMatching(/network_error|no_tokens/) });
    await new Promise((r) => setTimeout(r, 10_000));
    await proxy.up();
    for (const generation of running) {
      const done = await viaProxy.service.wait(USER, generation.id, { timeoutMs: 15_000 });
      expect(done?.status).toBe('completed');
      expect(await viaProxy.blobs.has(done!.output_keys[0]!)).toBe(true);
    }
    const failed = await viaProxy.service.list(USER, { page: 1, limit: 10, status: 'failed' });
    expect(failed.items.some((g) => g.prompt === 'during' && g.error)).toBe(true);
  }, 60_000);
});

/** A TCP proxy on a fixed port that can refuse connections (down) and accept them again (up). */
async function startProxy(targetPort: string) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new Socket();
        sockets.add(client).add(upstream);
        upstream.connect(Number(targetPort), '127.0.0.1');
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();
  return {
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    down() {
      server?.close();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    up: listen,
    async close() {
      this.down();
    },
  };
}
