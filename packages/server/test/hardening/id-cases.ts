import type { Family, Mutation } from './family.js';
import { KEYS, type Fixture } from './fixture.js';
import { bearer, type FuzzDraft } from './fuzz-request.js';
import { encodeSegment, hugeString, ODD_RAW_SEGMENTS, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

/** The four routes that take a generation id, as [method, path for an already-encoded id]. */
const ID_ROUTES: readonly (readonly [string, (id: string) => string])[] = [
  ['GET', (id) => `/api/generations/${id}`],
  ['POST', (id) => `/api/generations/${id}/cancel`],
  ['DELETE', (id) => `/api/generations/${id}`],
  ['GET', (id) => `/api/generations/${id}/events`],
];

function oddId(rng: Rng): string {
  return rng.pick([
    () => encodeSegment(oddString(rng) || ' '),
    () => rng.pick(ODD_RAW_SEGMENTS),
    () => `${rng.pick(ODD_RAW_SEGMENTS)}${encodeSegment(oddString(rng))}`,
    () => rng.uuid(),
    () => rng.word(rng.int(1, 64)),
    // Long enough to overflow a file name once mapped to a storage key, short enough for Node's header limit.
    () => encodeSegment(hugeString(rng, rng.int(300, 600))),
    () => `${rng.uuid()}%2F..%2F..%2Fsecret`,
  ])();
}

function onIdRoute(rng: Rng, id: string, statuses?: readonly number[]): FuzzDraft {
  const [method, path] = rng.pick(ID_ROUTES);
  return { method, path: path(id), headers: bearer(KEYS.user), outcome: 'reject', ...(statuses ? { statuses } : {}) };
}

const generationMutations: Mutation[] = [
  { name: 'odd-id', make: (rng) => onIdRoute(rng, oddId(rng)) },
  // Another user's generation is answered exactly like a missing one.
  { name: 'other-users-id', make: (rng, fixture: Fixture) => onIdRoute(rng, fixture.victim.generation, [404]) },
];

export const generationIdFamily: Family = { name: 'generation-id', weight: 12, mutations: generationMutations };

/**
 * Keys under /files/ that are not stored files: traversal, broken escapes, unknown and malformed keys. A dot
 * segment is always followed by another, because `/files/..` is simply `/` (the home page) to any URL parser.
 */
function oddFileKey(rng: Rng, fixture: Fixture): string {
  return rng.pick([
    () => `${rng.pick(ODD_RAW_SEGMENTS)}/${rng.word(8)}`,
    () => `uploads/${rng.pick(ODD_RAW_SEGMENTS)}`,
    () => `${rng.pick(ODD_RAW_SEGMENTS)}/${rng.pick(ODD_RAW_SEGMENTS)}/etc/passwd`,
    () => `uploads/${rng.word(16)}.png`,
    () => `outputs/${rng.word(16)}.webp`,
    () => `uploads/${encodeSegment(oddString(rng))}.png`,
    () => encodeSegment(oddString(rng)),
    () => `uploads%2F..%2F..%2F${rng.word(8)}`,
    () => `${fixture.own.images[0]}%00.html`,
    () => `${fixture.own.images[0].replace(/\.\w+$/, '.svg')}`,
    () => `uploads/${'a'.repeat(rng.int(300, 4000))}.png`,
    () => '',
    () => '/etc/passwd',
    () => `..\\..\\${rng.word(6)}`,
  ])();
}

const fileMutations: Mutation[] = [
  {
    name: 'odd-key',
    make(rng, fixture) {
      const headers: Record<string, string> = rng.chance(0.2) ? { 'if-none-match': rng.pick(['*', '""', 'W/"x"', oddString(rng).replace(/[^\x20-\x7e]/g, '') || 'x']) } : {};
      return { method: 'GET', path: `/files/${oddFileKey(rng, fixture)}`, headers, outcome: 'reject' };
    },
  },
  {
    name: 'wrong-method',
    make: (rng, fixture) => ({ method: rng.pick(['POST', 'PUT', 'DELETE', 'PATCH']), path: `/files/${fixture.own.images[0]}`, headers: {}, outcome: 'reject', statuses: [404, 405] }),
  },
];

export const fileFamily: Family = { name: 'files', weight: 6, mutations: fileMutations };
