import type { Family, Mutation } from './family.js';
import { KEYS, SHOP_ORIGIN, type Fixture } from './fixture.js';
import { bearer, JSON_TYPE, jsonDraft, multipartBody, type FuzzDraft } from './fuzz-request.js';
import { encodeSegment, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

/** Valid requests to every route that needs a signed-in caller; only their credentials get broken. */
function protectedRequest(rng: Rng, fixture: Fixture): FuzzDraft {
  const boundary = 'fuzzboundary';
  return rng.pick<() => FuzzDraft>([
    () => ({ method: 'GET', path: '/api/auth/me', headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: '/api/models/list', headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: '/api/generations/list', headers: {}, outcome: 'reject' }),
    () => jsonDraft('POST', '/api/generations/create', { action: 'create', model_id: 'flux-schnell', prompt: 'a fox' }, {}),
    () => ({ method: 'GET', path: `/api/generations/${fixture.victim.generation}`, headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: `/api/generations/${fixture.victim.generation}/events`, headers: {}, outcome: 'reject' }),
    () => ({ method: 'POST', path: `/api/generations/${fixture.victim.generation}/cancel`, headers: {}, outcome: 'reject' }),
    () => ({ method: 'DELETE', path: `/api/generations/${fixture.victim.generation}`, headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: '/api/uploads', headers: {}, outcome: 'reject' }),
    () => ({ method: 'DELETE', path: `/api/uploads/${fixture.victim.upload.replace('uploads/', '')}`, headers: {}, outcome: 'reject' }),
    () => ({
      method: 'POST',
      path: '/api/uploads',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipartBody([{ name: 'file', filename: 'a.png', type: 'image/png', data: fixture.png }], boundary),
      outcome: 'reject',
    }),
    () => jsonDraft('POST', '/api/auth/embed-tokens', { user_id: 'u1', origins: [SHOP_ORIGIN] }, {}),
    () => ({ method: 'GET', path: '/api/admin/tokens', headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: '/api/admin/stats', headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: '/api/admin/activity', headers: {}, outcome: 'reject' }),
    () => ({ method: 'GET', path: '/api/admin/users', headers: {}, outcome: 'reject' }),
    () => jsonDraft('PATCH', '/api/admin/tokens/some-token', { is_active: true }, {}),
  ])();
}

/** The token with one character of its signature changed (not the last one, whose low bits may be unused). */
function tamper(token: string): string {
  const at = token.length - 5;
  return `${token.slice(0, at)}${token[at] === 'x' ? 'y' : 'x'}${token.slice(at + 1)}`;
}

/** Credentials that identify nobody. */
function brokenCredentials(rng: Rng, fixture: Fixture): Record<string, string> {
  const tampered = tamper(fixture.embedToken);
  return rng.pick<Record<string, string>>([
    {},
    bearer(`${KEYS.user}x`),
    bearer(KEYS.user.slice(0, -1)),
    { authorization: 'Bearer ' },
    { authorization: 'Bearer' },
    { authorization: `Basic ${Buffer.from(`fuzzuser:${KEYS.user}`).toString('base64')}` },
    { authorization: `Token ${KEYS.user}` },
    { authorization: KEYS.user },
    { authorization: `Bearer ${KEYS.user} ${KEYS.user}` },
    { authorization: `bearer wrong-${rng.word(20)}` },
    bearer('a'.repeat(rng.int(100, 8000))),
    bearer(`dbe_${rng.word(rng.int(1, 200))}`),
    bearer(`dbe_${rng.word(40)}.${rng.word(43)}`),
    // A real embed token, but from no page or from the wrong page: the Origin binds it.
    bearer(fixture.embedToken),
    { ...bearer(fixture.embedToken), origin: rng.pick(['https://evil.example', 'null', `${SHOP_ORIGIN}.evil.example`, 'http://shop.example']) },
    { ...bearer(tampered), origin: SHOP_ORIGIN },
    { cookie: `dotbase_session=${rng.word(rng.int(1, 300))}` },
    { cookie: 'dotbase_session=%E0%A4%A' },
    { cookie: `dotbase_session=${rng.word(40)}.${rng.word(43)}; dotbase_session=x` },
    { cookie: ';;;=;dotbase_session;=' },
  ]);
}

const unauthenticated: Mutation[] = [
  {
    name: 'broken-credentials',
    make(rng, fixture) {
      const draft = protectedRequest(rng, fixture);
      return { ...draft, headers: { ...draft.headers, ...brokenCredentials(rng, fixture) }, statuses: [401] };
    },
  },
];

export const unauthenticatedFamily: Family = { name: 'unauthenticated', weight: 8, mutations: unauthenticated };

const EMBED_PATH = '/api/auth/embed-tokens';
const VALID_EMBED = { user_id: 'u-1', origins: [SHOP_ORIGIN], ttl_seconds: 60 };
const EMBED_USER_ID = /^[A-Za-z0-9_.@-]{1,128}$/;

/** An odd user id that really breaks the id rule (some odd strings, like "null", are plain letters). */
function badUserId(rng: Rng): unknown {
  const odd = oddString(rng);
  return rng.pick([EMBED_USER_ID.test(odd) ? ` ${odd}` : odd, 'x'.repeat(129), 'a/b', 'a:b', 7, null, [], {}]);
}

const embedTokens: Mutation[] = [
  {
    name: 'bad-body',
    make(rng) {
      const field = rng.pick(['user_id', 'origins', 'ttl_seconds', 'extra'] as const);
      const value =
        field === 'user_id'
          ? badUserId(rng)
          : field === 'origins'
            ? rng.pick<unknown>([[], SHOP_ORIGIN, [`${SHOP_ORIGIN}/path`], [`${SHOP_ORIGIN}/`], ['javascript:alert(1)'], ['*'], ['null'], [7], Array.from({ length: 21 }, (_, i) => `https://s${i}.example`)])
            : field === 'ttl_seconds'
              ? rng.pick<unknown>([0, 86_401, 1.5, '60', -1, null, 1e21])
              : 'surprise';
      const body = field === 'extra' ? { ...VALID_EMBED, [rng.pick(['minter', 'is_admin', '__proto__', 'sub'])]: value } : { ...VALID_EMBED, [field]: value };
      return { ...jsonDraft('POST', EMBED_PATH, body, bearer(rng.pick([KEYS.user, KEYS.admin]))), statuses: [422] };
    },
  },
  {
    name: 'missing-field',
    make(rng) {
      const { [rng.pick(['user_id', 'origins'] as const)]: _dropped, ...rest } = VALID_EMBED;
      return { ...jsonDraft('POST', EMBED_PATH, rest, bearer(KEYS.user)), statuses: [422] };
    },
  },
  {
    name: 'not-json',
    make: (rng) => ({
      method: 'POST',
      path: EMBED_PATH,
      headers: { ...bearer(KEYS.user), 'content-type': rng.pick([JSON_TYPE['content-type'], 'text/plain']) },
      body: rng.pick(['', '{', 'null', '[]', 'user_id=u1']),
      outcome: 'reject',
    }),
  },
  {
    // An embed token is a signed-in caller, but must never mint more tokens.
    name: 'minted-by-embed-token',
    make: (_rng, fixture) => ({ ...jsonDraft('POST', EMBED_PATH, VALID_EMBED, { ...bearer(fixture.embedToken), origin: SHOP_ORIGIN }), statuses: [403] }),
  },
];

export const embedTokenFamily: Family = { name: 'embed-token', weight: 5, mutations: embedTokens };

/** Token ids that no token has (real ids are digests; nothing here can hit one, so no token is ever switched off). */
function unknownTokenId(rng: Rng): string {
  return rng.pick([rng.word(rng.int(1, 40)), encodeSegment(oddString(rng) || 'x'), '%E0%A4%A', 'x'.repeat(rng.int(200, 3000)), '%00']);
}

const admin: Mutation[] = [
  {
    name: 'unknown-token',
    make: (rng) => ({ ...jsonDraft('PATCH', `/api/admin/tokens/${unknownTokenId(rng)}`, { is_active: rng.chance(0.5) }, bearer(KEYS.admin)), statuses: [404] }),
  },
  {
    name: 'bad-patch-body',
    make(rng) {
      const body = rng.pick<unknown>([{}, { is_active: 'true' }, { is_active: 1 }, { is_active: null }, { is_active: true, id: 'x' }, [], null, { isActive: true }]);
      return { ...jsonDraft('PATCH', `/api/admin/tokens/${unknownTokenId(rng)}`, body, bearer(KEYS.admin)), statuses: [422] };
    },
  },
  {
    name: 'patch-not-json',
    make: (rng) => ({
      method: 'PATCH',
      path: `/api/admin/tokens/${rng.word(10)}`,
      headers: { ...bearer(KEYS.admin), ...(rng.chance(0.7) ? JSON_TYPE : {}) },
      body: rng.pick(['', '{', 'is_active=true', '{"is_active":tru}']),
      outcome: 'reject',
    }),
  },
  {
    name: 'not-an-admin',
    make(rng, fixture) {
      const headers = rng.chance(0.7) ? bearer(KEYS.user) : { ...bearer(fixture.embedToken), origin: SHOP_ORIGIN };
      return rng.pick<FuzzDraft>([
        { method: 'GET', path: '/api/admin/tokens', headers, outcome: 'reject', statuses: [403] },
        { method: 'GET', path: '/api/admin/stats?hours=1', headers, outcome: 'reject', statuses: [403] },
        { ...jsonDraft('PATCH', `/api/admin/tokens/${rng.word(10)}`, { is_active: false }, headers), statuses: [403] },
      ]);
    },
  },
];

export const adminFamily: Family = { name: 'admin', weight: 5, mutations: admin };
