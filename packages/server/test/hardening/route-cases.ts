import type { Family, Mutation } from './family.js';
import { KEYS } from './fixture.js';
import { bearer, type FuzzDraft } from './fuzz-request.js';
import { encodeSegment, ODD_RAW_SEGMENTS, oddString } from './odd-strings.js';

/** Real paths with a method they do not serve, and near-miss paths. */
const WRONG_ROUTES: readonly (readonly [string, string])[] = [
  ['PUT', '/api/generations/create'],
  ['GET', '/api/generations/create'],
  ['DELETE', '/api/generations/list'],
  ['DELETE', '/api/health'],
  ['POST', '/api/health'],
  ['PATCH', '/api/models/list'],
  ['GET', '/api/webhooks/replicate'],
  ['PUT', '/api/webhooks/replicate'],
  ['GET', '/api/auth/telegram'],
  ['PUT', '/api/auth/me'],
  ['GET', '/api/auth/embed-tokens'],
  ['GET', '/api/auth/logout'],
  ['DELETE', '/api/admin/tokens'],
  ['POST', '/api/admin/stats'],
  ['GET', '/api/generations'],
  ['POST', '/api/generations'],
  ['GET', '/api/generations/create/extra'],
  ['GET', '/api/generations/list/extra'],
  ['GET', '/API/HEALTH'],
  ['GET', '/api/health/x'],
  ['GET', '/api'],
  ['GET', '/api/uploads/x'],
  ['PUT', '/api/uploads'],
  ['POST', '/openapi.json'],
  ['DELETE', '/widget.js'],
  ['GET', '/api/v2/generations/list'],
  ['GET', '/.env'],
  ['GET', '/.git/config'],
  ['GET', '/node_modules/.pnpm/lock.yaml'],
];

const mutations: Mutation[] = [
  {
    name: 'wrong-route',
    make: (rng): FuzzDraft => {
      const [method, path] = rng.pick(WRONG_ROUTES);
      return { method, path, headers: bearer(KEYS.user), outcome: 'reject', statuses: [404, 405] };
    },
  },
  {
    name: 'odd-path',
    make: (rng): FuzzDraft => ({
      method: rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      path: `/api/${rng.pick(['nope', 'x', 'generations-x'])}/${rng.chance(0.5) ? rng.pick(ODD_RAW_SEGMENTS) : encodeSegment(oddString(rng) || 'y')}`,
      headers: bearer(KEYS.user),
      outcome: 'reject',
      statuses: [400, 404, 405],
    }),
  },
  {
    // A Host the URL parser cannot use: the adapter refuses it before the app runs.
    name: 'odd-host',
    make: (rng): FuzzDraft => ({
      method: 'GET',
      path: rng.pick(['/api/health', '/api/generations/list']),
      headers: { ...bearer(KEYS.user), host: rng.pick(['a b', '[::1', 'exa mple.com:80', 'x:99999', 'host:port', '%00', 'example.com:-1']) },
      outcome: 'reject',
      statuses: [400],
    }),
  },
];

export const routeFamily: Family = { name: 'route', weight: 4, mutations };
