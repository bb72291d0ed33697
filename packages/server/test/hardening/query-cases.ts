import type { Family, Mutation } from './family.js';
import { KEYS } from './fixture.js';
import { bearer } from './fuzz-request.js';
import { encodeSegment, oddString } from './odd-strings.js';
import type { Rng } from './prng.js';

/** Values no page or limit parameter accepts (`''` coerces to 0, below every minimum). */
const BAD_PAGES = ['0', '-1', 'abc', '1.5', '1e309', 'NaN', 'Infinity', '-Infinity', '100001', '', '%20', '9'.repeat(400), '%E0%A4%A', '1%00', '[]', '{}'];
const BAD_LIMITS = ['0', '101', '-5', 'abc', '2.5', '1e3', 'NaN', '', '99999999999999999999'];
const BAD_HOURS = ['0', '2161', '-1', 'x', '1.5', '1e309', ''];

function badEnum(rng: Rng): string {
  return rng.pick(['paint', 'CREATE', 'done', 'COMPLETED', 'remove_bg', encodeSegment(oddString(rng) || 'x'), '%E0%A4%A']);
}

/** A query with one bad parameter (and sometimes a valid or unknown one beside it). */
function query(rng: Rng, bad: [string, string]): string {
  const extra = rng.pick(['', '&page=1', '&limit=5', '&foo=bar', '&__proto__=x', '&constructor=1']);
  return `?${bad[0]}=${bad[1]}${extra}`;
}

const mutations: Mutation[] = [
  {
    name: 'generations-list',
    make(rng) {
      const parameter = rng.pick(['page', 'limit', 'action', 'status'] as const);
      const value = parameter === 'page' ? rng.pick(BAD_PAGES) : parameter === 'limit' ? rng.pick(BAD_LIMITS) : badEnum(rng);
      return { method: 'GET', path: `/api/generations/list${query(rng, [parameter, value])}`, headers: bearer(KEYS.user), outcome: 'reject', statuses: [400, 422] };
    },
  },
  {
    name: 'uploads-list',
    make(rng) {
      const parameter = rng.pick(['page', 'limit'] as const);
      const value = parameter === 'page' ? rng.pick(BAD_PAGES) : rng.pick(BAD_LIMITS);
      return { method: 'GET', path: `/api/uploads${query(rng, [parameter, value])}`, headers: bearer(KEYS.user), outcome: 'reject', statuses: [400, 422] };
    },
  },
  {
    name: 'models-list',
    make: (rng) => ({ method: 'GET', path: `/api/models/list?action=${badEnum(rng)}`, headers: bearer(KEYS.user), outcome: 'reject', statuses: [400, 422] }),
  },
  {
    name: 'admin-stats',
    make: (rng) => ({ method: 'GET', path: `/api/admin/stats?hours=${rng.pick(BAD_HOURS)}`, headers: bearer(KEYS.admin), outcome: 'reject', statuses: [400, 422] }),
  },
  {
    // Repeated and unknown parameters are legal URLs: any sane answer but a crash.
    name: 'odd-parameters',
    make: (rng) => ({
      method: 'GET',
      path: `${rng.pick(['/api/generations/list', '/api/uploads', '/api/models/list'])}?${rng.pick(['page=1&page=abc', 'page[]=1', 'limit[$gt]=5', '__proto__[x]=1', '&&&', '=x', 'page', `${encodeSegment(oddString(rng) || 'k')}=v`])}`,
      headers: bearer(KEYS.user),
      outcome: 'survive',
    }),
  },
];

export const queryFamily: Family = { name: 'query', weight: 7, mutations };
