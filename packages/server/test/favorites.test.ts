import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTerminal, type TestServer } from './helpers.js';

const ALICE = 'key-alice-0123456789abcdef';
const BOB = 'key-bob-0123456789abcdef';

let server: TestServer;
const ids: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ DOTBASE_API_KEYS: `alice:${ALICE},bob:${BOB}` });
  for (const prompt of ['a red fox', 'a blue whale', 'a red kite']) {
    const created = await server.json('POST', '/api/generations/create', { token: ALICE, body: { action: 'create', model_id: 'flux-schnell', prompt } });
    expect(created.status).toBe(201);
    ids.push((await waitForTerminal(server, created.body.id, ALICE)).id);
  }
});
afterAll(async () => {
  await server?.close();
});

const listIds = async (query: string, token = ALICE) => {
  const answer = await server.json('GET', `/api/generations/list?${query}`, { token });
  expect(answer.status, query).toBe(200);
  return { ids: answer.body.items.map((item: { id: string }) => item.id), total: answer.body.total, items: answer.body.items };
};

describe('favorites', () => {
  it('stars with PUT and unstars with DELETE, shows `favorite` in the generation and filters the list with favorite=true', async () => {
    const [fox, whale, kite] = ids as [string, string, string];
    expect((await server.json('GET', `/api/generations/${fox}`, { token: ALICE })).body.favorite).toBe(false);
    for (const id of [fox, kite, kite]) {
      const starred = await server.json('PUT', `/api/generations/${id}/favorite`, { token: ALICE });
      expect(starred.status).toBe(200);
      expect(starred.body).toMatchObject({ id, favorite: true, status: 'completed' });
    }
    expect((await server.json('GET', `/api/generations/${kite}`, { token: ALICE })).body.favorite).toBe(true);
    expect(await listIds('favorite=true')).toMatchObject({ ids: [kite, fox], total: 2 });
    expect((await listIds('favorite=true')).items.every((item: { favorite: boolean }) => item.favorite)).toBe(true);
    expect(await listIds('favorite=true&limit=1&page=2')).toMatchObject({ ids: [fox], total: 2 });
    expect(await listIds('favorite=true&q=red')).toMatchObject({ ids: [kite, fox], total: 2 });
    expect(await listIds('favorite=true&q=whale')).toMatchObject({ ids: [], total: 0 });
    expect(await listIds('favorite=true&action=create&status=completed')).toMatchObject({ ids: [kite, fox], total: 2 });
    expect(await listIds('favorite=true&status=failed')).toMatchObject({ ids: [], total: 0 });
    expect((await listIds('')).total).toBe(3);

    const unstarred = await server.json('DELETE', `/api/generations/${fox}/favorite`, { token: ALICE });
    expect(unstarred.status).toBe(200);
    expect(unstarred.body).toMatchObject({ id: fox, favorite: false });
    expect(await listIds('favorite=true')).toMatchObject({ ids: [kite], total: 1 });
    expect((await server.json('DELETE', `/api/generations/${whale}/favorite`, { token: ALICE })).body.favorite).toBe(false);
  });

  it("answers 404 for another user's generation or an unknown id, and leaves the star alone", async () => {
    const kite = ids[2] as string;
    for (const [method, path] of [
      ['PUT', `/api/generations/${kite}/favorite`],
      ['DELETE', `/api/generations/${kite}/favorite`],
      ['PUT', '/api/generations/00000000-0000-4000-8000-000000000000/favorite'],
    ] as const) {
      const answer = await server.json(method, path, { token: BOB });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    expect((await server.json('GET', `/api/generations/${kite}`, { token: ALICE })).body.favorite).toBe(true);
    expect(await listIds('favorite=true', BOB)).toMatchObject({ ids: [], total: 0 });
    expect((await server.json('PUT', `/api/generations/${kite}/favorite`)).status).toBe(401);
  });

  it('refuses a favorite filter other than true with a JSON error naming it', async () => {
    for (const value of ['false', '1', 'yes']) {
      const answer = await server.json('GET', `/api/generations/list?favorite=${value}`, { token: ALICE });
      expect(answer.status, value).toBe(422);
      expect(answer.body.error.code).toBe('invalid_input');
      expect(answer.body.error.details.issues[0].path).toBe('favorite');
    }
  });
});
