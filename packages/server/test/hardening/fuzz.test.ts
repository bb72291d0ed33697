import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForTerminal, type TestServer } from '../helpers.js';
import { adminFamily, embedTokenFamily, unauthenticatedFamily } from './access-cases.js';
import { batchFamily } from './batch-cases.js';
import { answerProblems, type Leaks } from './check.js';
import { createFamily } from './create-cases.js';
import type { Family } from './family.js';
import { BOT_TOKEN, FUZZ_ENV, FUZZ_LIMITS, KEYS, prepareFixture, SERVER_SECRET, SHOP_ORIGIN, validCreateBody, type Fixture } from './fixture.js';
import { describeRequest } from './fuzz-request.js';
import { fileFamily, generationIdFamily } from './id-cases.js';
import { buildRequest, planCases, runBounded, type PlannedCase } from './plan.js';
import { createRng, seedFromEnv } from './prng.js';
import { queryFamily } from './query-cases.js';
import { routeFamily } from './route-cases.js';
import { send } from './send.js';
import { telegramFamily } from './telegram-cases.js';
import { uploadFamily } from './upload-cases.js';
import { webhookFamily } from './webhook-cases.js';

const SEED = seedFromEnv();
const FUZZ_REQUESTS = 1500;
const CONCURRENCY = 8;
/** A good create every this many fuzz requests, a health check twice as often. */
const PROBE_EVERY = 50;
const REQUEST_TIMEOUT_MS = 15_000;
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');

const FAMILIES: readonly Family[] = [
  createFamily,
  generationIdFamily,
  queryFamily,
  uploadFamily,
  fileFamily,
  webhookFamily,
  batchFamily,
  telegramFamily,
  embedTokenFamily,
  adminFamily,
  unauthenticatedFamily,
  routeFamily,
];

type Task = { fuzz: PlannedCase } | { probe: 'create' | 'health' };

function withProbes(cases: readonly PlannedCase[]): Task[] {
  const tasks: Task[] = [];
  cases.forEach((planned, i) => {
    tasks.push({ fuzz: planned });
    if ((i + 1) % PROBE_EVERY === 0) tasks.push({ probe: 'create' });
    if ((i + 1) % (PROBE_EVERY / 2) === 0) tasks.push({ probe: 'health' });
  });
  return tasks;
}

const GOOD_CREATE = { action: 'create', model_id: 'flux-schnell', prompt: 'a quiet harbour at dawn' };

let server: TestServer;
let fixture: Fixture;

beforeAll(async () => {
  server = await startTestServer(FUZZ_ENV);
  fixture = await prepareFixture(server);
});
afterAll(async () => {
  await server?.close();
});

describe('bad input: generated malformed requests against every endpoint', () => {
  it("every model's base request is accepted, so each mutation of it is the request's only fault", async () => {
    const answers = await Promise.all(
      fixture.models.map(async (summary) => {
        const { status, body } = await server.json('POST', '/api/generations/create', { token: KEYS.user, body: validCreateBody(summary, fixture) });
        return { model: `${summary.id}/${summary.action}`, status, error: status === 201 ? undefined : body.error };
      }),
    );
    expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
  });

  it(`${FUZZ_REQUESTS} requests are 4xx JSON errors without leaks, while good requests keep working`, async () => {
    console.info(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const leaks: Leaks = {
      secrets: [...Object.values(KEYS), BOT_TOKEN, SERVER_SECRET, fixture.webhookSecret, fixture.webhookSecret.replace(/^whsec_/, '')],
      patterns: [/r8_[A-Za-z0-9]{8,}/],
      folders: [server.dir, REPO_ROOT],
    };
    const cases = planCases(createRng(SEED), FAMILIES, FUZZ_REQUESTS);
    const violations: string[] = [];
    const violationsByMutation = new Map<string, number>();
    const probeFailures: string[] = [];
    const statuses = new Map<number, number>();
    const sentByMutation = new Set<string>();

    await runBounded(withProbes(cases), CONCURRENCY, async (task) => {
      if ('probe' in task) {
        const answer = task.probe === 'create' ? await server.json('POST', '/api/generations/create', { token: KEYS.user, body: GOOD_CREATE }) : await server.json('GET', '/api/health');
        const ok = task.probe === 'create' ? answer.status === 201 : answer.status === 200 && answer.body?.status === 'ok';
        if (!ok) probeFailures.push(`${task.probe} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        return;
      }
      const request = buildRequest(SEED, task.fuzz, fixture);
      const mutation = `${task.fuzz.family.name}/${task.fuzz.mutation.name}`;
      sentByMutation.add(mutation);
      const delivery = await send(server.url, request, REQUEST_TIMEOUT_MS);
      if (delivery.ok) statuses.set(delivery.answer.status, (statuses.get(delivery.answer.status) ?? 0) + 1);
      const problems = answerProblems(request, delivery, leaks);
      if (problems.length > 0) {
        const answer = delivery.ok ? `${delivery.answer.status} ${JSON.stringify(delivery.answer.body.slice(0, 200))}` : 'no answer';
        violationsByMutation.set(mutation, (violationsByMutation.get(mutation) ?? 0) + 1);
        violations.push(`${describeRequest(request)}\n    → ${answer}\n    problems: ${problems.join('; ')}`);
      }
    });

    console.info(`fuzz answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    const allMutations = FAMILIES.flatMap((family) => family.mutations.map((mutation) => `${family.name}/${mutation.name}`));
    expect.soft([...sentByMutation].sort()).toEqual(allMutations.sort());
    const tally = JSON.stringify(Object.fromEntries(violationsByMutation));
    expect.soft(violations.length, `${violations.length} bad answers (by mutation: ${tally}); the first 20:\n${violations.slice(0, 20).join('\n')}`).toBe(0);
    expect.soft(probeFailures).toEqual([]);

    // Still serving: a good generation runs to the end, health is ok, and nobody else's data was touched.
    const created = await server.json('POST', '/api/generations/create', { token: KEYS.user, body: GOOD_CREATE });
    expect(created.status).toBe(201);
    expect((await waitForTerminal(server, created.body.id, KEYS.user)).status).toBe('completed');
    expect((await server.json('GET', '/api/health')).body).toMatchObject({ status: 'ok' });
    expect((await server.json('GET', `/api/generations/${fixture.victim.generation}`, { token: KEYS.victim })).status).toBe(200);
    expect((await server.fetch(`/files/${fixture.victim.upload}`)).status).toBe(200);
    // The server runs in this process: prototype keys in bodies must not have reached Object.prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).is_admin).toBeUndefined();
  }, 120_000);
});

describe('the largest values the API accepts', () => {
  it('an embed token minted for the longest allowed user id can list and create', async () => {
    const minted = await server.json('POST', '/api/auth/embed-tokens', { token: KEYS.admin, body: { user_id: 'A'.repeat(128), origins: [SHOP_ORIGIN] } });
    expect(minted.status).toBe(201);
    const asEndUser = { token: minted.body.token as string, headers: { origin: SHOP_ORIGIN } };
    const listed = await server.json('GET', '/api/generations/list', asEndUser);
    const created = await server.json('POST', '/api/generations/create', { ...asEndUser, body: GOOD_CREATE });
    expect([listed.status, created.status], JSON.stringify([listed.body, created.body])).toEqual([200, 201]);
  });

  it('a prompt of exactly the limit, in characters outside the BMP, is accepted and stored as sent', async () => {
    const prompt = '\u{1f98a}'.repeat(FUZZ_LIMITS.maxPromptLength / 2);
    const created = await server.json('POST', '/api/generations/create', { token: KEYS.user, body: { ...GOOD_CREATE, prompt } });
    expect(created.status).toBe(201);
    expect((await server.json('GET', `/api/generations/${created.body.id}`, { token: KEYS.user })).body.prompt).toBe(prompt);
  });
});

describe('rate limit', () => {
  it('answers 429 in the JSON error shape with Retry-After once a user is over the limit', async () => {
    const limited = await startTestServer({ DOTBASE_API_KEYS: `fuzzuser:${KEYS.user}`, DOTBASE_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<TestServer['json']>> | undefined;
      for (let i = 0; i < 3; i++) {
        last = await limited.json('GET', '/api/generations/list', { token: KEYS.user });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(last?.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(last?.headers.get('content-type')).toMatch(/^application\/json/);
    } finally {
      await limited.close();
    }
  });
});
