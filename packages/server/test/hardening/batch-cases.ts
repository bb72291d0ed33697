import type { Family, Mutation } from './family.js';
import { KEYS, validCreateBody, type Fixture } from './fixture.js';
import { bearer, jsonDraft, type FuzzDraft } from './fuzz-request.js';
import { encodeSegment, ODD_RAW_SEGMENTS, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

/** Webhook targets no test server may call: loopback in every spelling (not allowed here), and non-URLs. */
function badWebhook(rng: Rng): unknown {
  const port = rng.int(1, 65535);
  return rng.pick<unknown>([
    `http://127.0.0.1:${port}/hook`,
    `https://127.0.0.1:${port}/hook`,
    `https://localhost:${port}/hook`,
    `https://[::1]:${port}/hook`,
    `https://2130706433:${port}/hook`,
    `https://0x7f000001:${port}/hook`,
    `https://127.1:${port}/hook`,
    `https://user:pass@127.0.0.1:${port}/hook`,
    `ftp://127.0.0.1:${port}/hook`,
    `javascript:alert(1)`,
    '',
    oddString(rng),
    `https://${'a'.repeat(3000)}.example/`,
    rng.int(0, 10),
    null,
    ['https://example.com'],
  ]);
}

function validItems(rng: Rng, fixture: Fixture, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => validCreateBody(rng.pick(fixture.models), fixture));
}

function post(body: unknown): FuzzDraft {
  return jsonDraft('POST', '/api/batches', body, bearer(KEYS.user));
}

const batchMutations: Mutation[] = [
  { name: 'too-many-items', make: (rng, fixture) => ({ ...post({ items: validItems(rng, fixture, rng.int(101, 140)) }), statuses: [413, 422] }) },
  {
    name: 'items-not-a-list',
    make: (rng) => ({ ...post(rng.pick<unknown>([{}, { items: [] }, { items: {} }, { items: 'x' }, { items: null }, [], { items: [null] }, { items: [[]] }])), statuses: [422] }),
  },
  {
    name: 'one-bad-item',
    make(rng, fixture) {
      const items = validItems(rng, fixture, rng.int(1, 12));
      const index = rng.int(0, items.length - 1);
      const item = { ...items[index] };
      rng.pick([
        () => (item.action = oddString(rng)),
        () => (item.model_id = rng.pick(['no-such-model', oddString(rng) || 'x'])),
        () => (item.settings = { aspect_ratio: '7:3' }),
        () => (item.surprise = 1),
        () => (item.input_images = [rng.pick(['uploads/nope.png', fixture.victim.upload, 'http://127.0.0.1/x.png'])]),
        () => (item.webhook = 'https://example.com/hook'),
      ])();
      items[index] = item;
      return { ...post({ items }), statuses: [422] };
    },
  },
  { name: 'bad-webhook', make: (rng, fixture) => ({ ...post({ items: validItems(rng, fixture, 1), webhook: badWebhook(rng) }), statuses: [422] }) },
  {
    name: 'bad-events-filter',
    make: (rng, fixture) => ({
      ...post({ items: validItems(rng, fixture, 1), webhook: 'https://example.com/hook', webhook_events_filter: rng.pick<unknown>([[], ['nope'], 'completed', [null], ['start', 'start', 'logs', 'output', 'completed']]) }),
      statuses: [422],
    }),
  },
  {
    name: 'webhook-on-create',
    make: (rng, fixture) => ({ ...jsonDraft('POST', '/api/generations/create', { ...validCreateBody(rng.pick(fixture.models), fixture), webhook: badWebhook(rng) }, bearer(KEYS.user)), statuses: [422] }),
  },
  {
    name: 'odd-batch-id',
    make(rng) {
      const id = rng.pick([() => encodeSegment(oddString(rng) || ' '), () => rng.pick(ODD_RAW_SEGMENTS), () => rng.uuid()])();
      const [method, path] = rng.pick<[string, string]>([
        ['GET', `/api/batches/${id}`],
        ['POST', `/api/batches/${id}/cancel`],
        ['GET', `/api/batches/${id}/download`],
        ['GET', `/api/generations/${id}/deliveries`],
      ]);
      return { method, path, headers: bearer(KEYS.user), outcome: 'reject' };
    },
  },
];

export const batchFamily: Family = { name: 'batches-and-webhooks', weight: 8, mutations: batchMutations };
