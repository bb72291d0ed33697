import { ACTIONS, type ModelSummary } from '@dotbase/core';
import type { Family, Mutation } from './family.js';
import { FUZZ_LIMITS, KEYS, validCreateBody, type Fixture } from './fixture.js';
import { bearer, JSON_TYPE, jsonDraft, type FuzzDraft, type Outcome } from './fuzz-request.js';
import { hugeString, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';
import { invalidSettingValue, isRawNumber } from './settings-values.js';

const PATH = '/api/generations/create';
const FIELDS = ['action', 'model_id', 'prompt', 'settings', 'input_images', 'mask'] as const;

/** Values of the wrong type for each field of the create body. */
const WRONG_TYPES: Record<(typeof FIELDS)[number], readonly unknown[]> = {
  action: [7, true, null, [], {}, ['create'], 'CREATE', 'create ', ''],
  model_id: [7, true, null, [], {}, ['flux-schnell'], ''],
  prompt: [7, false, null, [], {}, ['a fox']],
  settings: ['aspect_ratio=1:1', 7, true, null, [], [1, 2]],
  input_images: ['uploads/x.png', 7, {}, null, [7], [null], [[]], [{}], ['']],
  mask: [7, true, null, [], {}, ''],
};

/** Keys that poison objects built with plain assignment. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'] as const;

function base(rng: Rng, fixture: Fixture): { summary: ModelSummary; body: Record<string, unknown> } {
  const summary = rng.pick(fixture.models);
  return { summary, body: validCreateBody(summary, fixture) };
}

const auth = (rng: Rng) => bearer(rng.chance(0.8) ? KEYS.user : KEYS.admin);

function create(rng: Rng, body: unknown, outcome: Outcome = 'reject'): FuzzDraft {
  return jsonDraft('POST', PATH, body, auth(rng), outcome);
}

/** A create whose body text is written by hand (invalid JSON, raw keys, non-finite numbers). */
function createRaw(rng: Rng, text: string): FuzzDraft {
  return { method: 'POST', path: PATH, headers: { ...JSON_TYPE, ...auth(rng) }, body: text, outcome: 'reject' };
}

/** The JSON text of `body` with one more key written first, raw, so `__proto__` stays a real own key. */
function withRawKey(body: Record<string, unknown>, key: string, valueJson: string): string {
  return JSON.stringify(body).replace(/^\{/, `{${JSON.stringify(key)}:${valueJson},`);
}

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const mutations: Mutation[] = [
  {
    name: 'wrong-type',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const field = rng.pick(FIELDS);
      return create(rng, { ...body, [field]: rng.pick(WRONG_TYPES[field]) });
    },
  },
  {
    name: 'missing-field',
    make(rng, fixture) {
      const { summary, body } = base(rng, fixture);
      const required = ['action', 'model_id'];
      if (summary.inputs.prompt === 'required') required.push('prompt');
      if (summary.inputs.images.min > 0) required.push('input_images');
      if (summary.inputs.mask && summary.inputs.images.min > 0) required.push('mask');
      const missing = rng.pick(required);
      const { [missing]: _dropped, ...rest } = body;
      return create(rng, rest);
    },
  },
  {
    name: 'extra-field',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const candidates = ['user_id', 'id', 'status', 'is_admin', 'output_keys', 'webhook', oddString(rng), rng.word(rng.int(1, 40))];
      const key = rng.pick(candidates.filter((name) => !(FIELDS as readonly string[]).includes(name)));
      return create(rng, { ...body, [key]: rng.pick([true, 'x', 1, null, {}, []]) });
    },
  },
  {
    name: 'prototype-key',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const key = rng.pick(PROTO_KEYS);
      const value = rng.pick(['{"is_admin":true,"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '"x"', 'null', '[]']);
      return createRaw(rng, withRawKey(body, key, value));
    },
  },
  {
    name: 'unknown-model',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const model = rng.pick([oddString(rng), rng.word(rng.int(1, 100)), `${body.model_id as string}-v2`, 'x'.repeat(101), hugeString(rng, 5000)]);
      return create(rng, { ...body, model_id: model });
    },
  },
  {
    name: 'unknown-action',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      return create(rng, { ...body, action: rng.pick(['paint', 'CREATE', 'remove_bg', 'upscale ', 'delete', oddString(rng)]) });
    },
  },
  {
    name: 'action-not-served',
    make(rng, fixture) {
      const { summary, body } = base(rng, fixture);
      const served = new Set(fixture.models.filter((model) => model.id === summary.id).map((model) => model.action));
      const others = ACTIONS.filter((action) => !served.has(action));
      return create(rng, { ...body, action: rng.pick(others) });
    },
  },
  {
    name: 'setting-invalid',
    make(rng, fixture) {
      const { summary, body } = base(rng, fixture);
      const properties = Object.entries((summary.settings_schema.properties ?? {}) as Record<string, Record<string, unknown>>);
      const [key, schema] = rng.pick(properties);
      const invalid = invalidSettingValue(rng, schema);
      // A kind of property with no sure-invalid value: an unknown key is wrong just as surely.
      if (invalid === null) return create(rng, { ...body, settings: { [`${key}_unknown`]: 1 } });
      const bad = invalid.value;
      // Non-finite numbers have no JSON form: written raw, JSON.parse turns 1e309 into Infinity.
      if (isRawNumber(bad)) {
        const text = JSON.stringify({ ...body, settings: { [key]: '__RAW__' } }).replace('"__RAW__"', bad.raw);
        return createRaw(rng, text);
      }
      return create(rng, { ...body, settings: { [key]: bad } });
    },
  },
  {
    name: 'setting-unknown-key',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const key = rng.pick(['steps_extra', 'webhook', 'api_token', 'image', 'prompt', oddString(rng) || 'blank', rng.word(12)]);
      return create(rng, { ...body, settings: { [key]: rng.pick([1, 'x', true, null, { deep: [1] }]) } });
    },
  },
  {
    name: 'setting-prototype-key',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const key = rng.pick(PROTO_KEYS);
      const value = rng.pick(['{"polluted":"yes"}', '1', '"x"', 'null', '{"prototype":{"polluted":"yes"}}']);
      const text = JSON.stringify({ ...body, settings: { __RAW__: 0 } }).replace('"__RAW__":0', `${JSON.stringify(key)}:${value}`);
      return createRaw(rng, text);
    },
  },
  {
    name: 'deep-nesting',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const depth = rng.int(500, 12_000);
      const kind = rng.pick(['array', 'object'] as const);
      const where = rng.pick(['root', 'setting', 'field'] as const);
      const deep = nested(depth, kind);
      const text =
        where === 'root'
          ? deep
          : where === 'setting'
            ? JSON.stringify({ ...body, settings: { aspect_ratio: '__RAW__' } }).replace('"__RAW__"', deep)
            : JSON.stringify({ ...body, model_id: '__RAW__' }).replace('"__RAW__"', deep);
      return createRaw(rng, text);
    },
  },
  {
    name: 'huge-string',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const field = rng.pick(['prompt', 'model_id', 'action', 'mask', 'input_images', 'settings'] as const);
      const huge = hugeString(rng);
      const value = field === 'input_images' ? [huge] : field === 'settings' ? { aspect_ratio: huge } : huge;
      return { ...create(rng, { ...body, [field]: value }), statuses: [413] };
    },
  },
  {
    name: 'prompt-over-limit',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      return create(rng, { ...body, prompt: 'p'.repeat(FUZZ_LIMITS.maxPromptLength + rng.int(1, 200)) });
    },
  },
  {
    name: 'odd-unicode-field',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const field = rng.pick(['action', 'model_id', 'mask', 'input_images'] as const);
      const odd = oddString(rng);
      return create(rng, { ...body, [field]: field === 'input_images' ? [odd] : odd });
    },
  },
  {
    // Odd text is a legal prompt: accepted or refused, never a crash.
    name: 'odd-unicode-prompt',
    make(rng, fixture) {
      const { summary, body } = base(rng, fixture);
      const prompt = `${oddString(rng)}${rng.chance(0.5) ? ' a fox' : ''}`;
      // A blank prompt counts as none, so only a real one is wrong for a model that takes no prompt.
      const outcome = summary.inputs.prompt === 'none' && prompt.trim() !== '' ? 'reject' : 'survive';
      return create(rng, { ...body, prompt }, outcome);
    },
  },
  {
    // A valid body with a Prefer: wait the server must refuse before it starts anything.
    name: 'prefer-wait-invalid',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const value = rng.pick(['0', '61', '-1', '1.5', '1e3', 'soon', '', ' ', '"x"', '99999999999999999999', '0x10', '1 2', '\t', 'ｗａｉｔ', rng.word(rng.int(1, 40))].map((v) => v.replace(/[^\x20-\x7e\t]/g, '?')));
      const draft = create(rng, body);
      return { ...draft, headers: { ...draft.headers, prefer: rng.chance(0.5) ? `wait=${value}` : `respond-async, wait=${value}; x=1` } };
    },
  },
  {
    name: 'image-ref',
    make(rng, fixture) {
      const { summary, body } = base(rng, fixture);
      const bad = rng.pick([
        `uploads/${rng.word(16)}.png`,
        `outputs/${rng.word(16)}.webp`,
        fixture.victim.upload,
        fixture.victim.output,
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1:1/a.png',
        'file:///etc/passwd',
        'data:image/png;base64,iVBORw0KGgo=',
        'javascript:alert(1)',
        'uploads/../../etc/passwd.png',
        `uploads/${rng.word(16)}.svg`,
        '/files/uploads/x.png',
        'x'.repeat(4097),
      ]);
      const count = Math.max(1, summary.inputs.images.min);
      const images = [bad, ...fixture.own.images].slice(0, count);
      return create(rng, { ...body, input_images: rng.chance(0.15) ? Array.from({ length: 17 }, () => fixture.own.images[0]) : images });
    },
  },
  {
    name: 'mask-ref',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const mask = rng.pick([`uploads/${rng.word(16)}.png`, fixture.victim.upload, 'http://169.254.169.254/', 'file:///etc/shadow', '../mask.png']);
      return create(rng, { ...body, mask });
    },
  },
  {
    name: 'invalid-json',
    make(rng, fixture) {
      const valid = JSON.stringify(base(rng, fixture).body);
      const text = rng.pick([
        '{',
        '{"action":',
        "{'action':'create'}",
        '{"action":"create",}',
        'NaN',
        'undefined',
        '',
        `${valid}garbage`,
        `${valid} ${valid}`,
        `/* comment */ ${valid}`,
        valid.slice(0, rng.int(1, valid.length - 1)),
        Buffer.from(rng.bytes(rng.int(1, 300))).toString('latin1'),
      ]);
      return createRaw(rng, text);
    },
  },
  {
    name: 'not-an-object',
    make(rng) {
      const text = rng.pick(['null', '[]', '"create"', '123', 'true', '{}', '[{"action":"create"}]']);
      return createRaw(rng, text);
    },
  },
  {
    // The last of duplicate keys wins in JSON.parse: a valid first value must not mask an invalid last one.
    name: 'duplicate-keys',
    make(rng, fixture) {
      const valid = JSON.stringify(base(rng, fixture).body);
      const text = valid.replace(/\}$/, `,"action":${JSON.stringify(rng.pick(['paint', 7, null]))}}`);
      return createRaw(rng, text);
    },
  },
  {
    name: 'wrong-content-type',
    make(rng, fixture) {
      const type = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json', 'image/png', undefined]);
      const headers = { ...auth(rng), ...(type === undefined ? {} : { 'content-type': type }) };
      const text = rng.chance(0.8) ? JSON.stringify(base(rng, fixture).body) : 'action=create&model_id=flux-schnell&prompt=a';
      return { method: 'POST', path: PATH, headers, body: text, outcome: 'reject', statuses: [415] };
    },
  },
  {
    name: 'oversized-body',
    make(rng, fixture) {
      const { body } = base(rng, fixture);
      const text = JSON.stringify({ ...body, settings: { pad: 'x'.repeat(FUZZ_LIMITS.maxJsonBytes + rng.int(1, 300_000)) } });
      return { method: 'POST', path: PATH, headers: { ...JSON_TYPE, ...auth(rng) }, body: text, chunked: rng.chance(0.4), outcome: 'reject', statuses: [413] };
    },
  },
];

export const createFamily: Family = { name: 'create', weight: 36, mutations };
