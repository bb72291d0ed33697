import type { Fixture } from './fixture.js';
import type { FuzzDraft } from './fuzz-request.js';
import type { Rng } from './prng.js';

/** One way to get a request wrong, e.g. "wrong type of one field". */
export interface Mutation {
  name: string;
  make(rng: Rng, fixture: Fixture): FuzzDraft;
}

/** The mutations of one endpoint (or group of endpoints); `weight` is its share of the random requests. */
export interface Family {
  name: string;
  weight: number;
  mutations: readonly Mutation[];
}
