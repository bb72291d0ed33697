import { signWebhook } from '@dotbase/simulator';
import type { Family, Mutation } from './family.js';
import type { Fixture } from './fixture.js';
import { JSON_TYPE, type FuzzDraft } from './fuzz-request.js';
import { oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

const PATH = '/api/webhooks/replicate';
/** The server's body limit for webhooks (routes/webhooks.ts). */
const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

const nowS = () => Math.floor(Date.now() / 1000);

function prediction(rng: Rng): string {
  return JSON.stringify({ id: `p_${rng.word(12)}`, status: rng.pick(['succeeded', 'failed', 'processing', 'canceled']), output: null });
}

function signed(rng: Rng, fixture: Fixture, body: string, options: { timestamp?: number | string } = {}): Record<string, string> {
  const id = `msg_${rng.word(27)}`;
  const timestamp = options.timestamp ?? nowS();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(fixture.webhookSecret, id, timestamp, body),
  };
}

function deliver(headers: Record<string, string>, body: string, extra: Partial<FuzzDraft> = {}): FuzzDraft {
  return { method: 'POST', path: PATH, headers: { ...JSON_TYPE, ...headers }, body, outcome: 'reject', ...extra };
}

const mutations: Mutation[] = [
  {
    name: 'unsigned',
    make(rng) {
      const headers = rng.pick<Record<string, string>>([{}, { 'webhook-id': 'msg_1' }, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(nowS()) }, { 'webhook-signature': 'v1,AAAA' }]);
      return deliver(headers, prediction(rng), { statuses: [401] });
    },
  },
  {
    name: 'forged-signature',
    make(rng, fixture) {
      const body = prediction(rng);
      const headers = signed(rng, fixture, body);
      headers['webhook-signature'] = rng.pick([
        `v1,${Buffer.from(rng.bytes(32)).toString('base64')}`,
        signWebhook(`whsec_${Buffer.from(rng.bytes(24)).toString('base64')}`, headers['webhook-id'] as string, headers['webhook-timestamp'] as string, body),
        headers['webhook-signature']?.replace(/^v1,/, 'v2,') ?? '',
        'v1,',
        ',',
        'v1,!!!not-base64!!!',
        Array.from({ length: 200 }, () => `v1,${Buffer.from(rng.bytes(32)).toString('base64')}`).join(' '),
        oddString(rng).replace(/[^\x20-\x7e]/g, '') || 'x',
      ]);
      return deliver(headers, body, { statuses: [401] });
    },
  },
  {
    // Signed for a different body than the one sent.
    name: 'body-swapped',
    make(rng, fixture) {
      const headers = signed(rng, fixture, prediction(rng));
      return deliver(headers, prediction(rng), { statuses: [401] });
    },
  },
  {
    name: 'bad-timestamp',
    make(rng, fixture) {
      const body = prediction(rng);
      const timestamp = rng.pick<number | string>([nowS() - 301 - rng.int(0, 1e6), nowS() + 301 + rng.int(0, 1e6), 0, -1, '1e10', 'abc', '', '9'.repeat(13), ` ${nowS()}`, `${nowS()}.5`]);
      return deliver(signed(rng, fixture, body, { timestamp }), body, { statuses: [401] });
    },
  },
  {
    // Correctly signed (as if by Replicate) but not JSON: refused after the signature check.
    name: 'signed-garbage',
    make(rng, fixture) {
      const body = rng.pick(['', '{', 'not json', Buffer.from(rng.bytes(rng.int(1, 200))).toString('latin1'), '{"id":"p1","status":']);
      return deliver(signed(rng, fixture, body), body, { statuses: [400, 422] });
    },
  },
  {
    name: 'signed-not-a-prediction',
    make(rng, fixture) {
      const body = rng.pick(['null', '[]', '7', '"x"', '{}', '{"id":5,"status":"succeeded"}', '{"id":"p1"}', '{"status":"succeeded"}', '{"id":null,"status":null}']);
      return deliver(signed(rng, fixture, body), body, { statuses: [422] });
    },
  },
  {
    // A signed prediction nobody asked for, with odd fields: acknowledged or refused, never a crash.
    name: 'signed-odd-prediction',
    make(rng, fixture) {
      const body = JSON.stringify({
        id: rng.pick([`p_${rng.word(10)}`, oddString(rng), 'x'.repeat(5000)]),
        status: rng.pick(['succeeded', 'failed', 'starting', oddString(rng)]),
        output: rng.pick([null, 7, 'http://169.254.169.254/', ['file:///etc/passwd'], { a: [1] }, Array.from({ length: 50 }, () => 'https://example.com/x.png')]),
        error: rng.pick([null, 7, oddString(rng)]),
        logs: rng.pick([null, '', 'x'.repeat(10_000), 42]),
        metrics: rng.pick([null, { predict_time: 'fast' }, []]),
      });
      return deliver(signed(rng, fixture, body), body, { outcome: 'survive' });
    },
  },
  {
    name: 'oversized',
    make(rng, fixture) {
      const body = JSON.stringify({ id: 'p_big', status: 'succeeded', logs: 'x'.repeat(MAX_WEBHOOK_BYTES + rng.int(1, 100_000)) });
      return deliver(rng.chance(0.5) ? signed(rng, fixture, body) : {}, body, { statuses: [413], chunked: rng.chance(0.3) });
    },
  },
];

export const webhookFamily: Family = { name: 'webhook', weight: 8, mutations };
