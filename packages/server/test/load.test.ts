import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ DOTBASE_MAX_ACTIVE_GENERATIONS: '1000', DOTBASE_RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await server?.close();
});

describe('parallel processing', () => {
  it('100 concurrent creates all complete, spread over the token pool', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        server.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'sdxl-lightning', prompt: `crowd ${i}`, settings: { width: 256, height: 256 } } }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(201));
    const ids = new Set(answers.map((answer) => answer.body.id as string));
    expect(ids.size).toBe(100);

    const deadline = Date.now() + 60_000;
    let page: any;
    for (;;) {
      page = (await server.json('GET', '/api/generations/list?status=completed&limit=100')).body;
      if (page.total === 100 || Date.now() > deadline) break;
      const failed = (await server.json('GET', '/api/generations/list?status=failed&limit=1')).body;
      expect(failed.total, JSON.stringify(failed.items[0]?.error)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(page.total).toBe(100);
    expect(new Set(page.items.map((item: { id: string }) => item.id))).toEqual(ids);

    const tokens = (await server.json('GET', '/api/admin/tokens')).body.items as Array<{ request_count: number; in_flight: number }>;
    expect(tokens.filter((token) => token.request_count > 0).length).toBe(10);
    expect(tokens.every((token) => token.in_flight === 0)).toBe(true);
    expect(server.simulator!.stats().creates).toBe(100);
  });
});
