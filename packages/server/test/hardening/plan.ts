import type { Family, Mutation } from './family.js';
import type { Fixture } from './fixture.js';
import type { FuzzRequest } from './fuzz-request.js';
import { createRng, type Rng } from './prng.js';

/** One planned fuzz request: built only when it is sent, from its own seed, so it replays alone too. */
export interface PlannedCase {
  index: number;
  family: Family;
  mutation: Mutation;
}

/** A seed per case from the run's seed and the case's position. */
function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

export function buildRequest(seed: number, planned: PlannedCase, fixture: Fixture): FuzzRequest {
  const draft = planned.mutation.make(createRng(caseSeed(seed, planned.index)), fixture);
  return { ...draft, label: `#${planned.index} ${planned.family.name}/${planned.mutation.name}` };
}

function pickWeighted(rng: Rng, families: readonly Family[]): Family {
  const total = families.reduce((sum, family) => sum + family.weight, 0);
  let roll = rng.next() * total;
  for (const family of families) {
    roll -= family.weight;
    if (roll < 0) return family;
  }
  return families[families.length - 1] as Family;
}

/**
 * `total` cases: every mutation of every family once (so coverage never depends on luck), the rest drawn by
 * family weight, all shuffled so each endpoint's requests are spread over the run.
 */
export function planCases(rng: Rng, families: readonly Family[], total: number): PlannedCase[] {
  const picks: { family: Family; mutation: Mutation }[] = families.flatMap((family) => family.mutations.map((mutation) => ({ family, mutation })));
  while (picks.length < total) {
    const family = pickWeighted(rng, families);
    picks.push({ family, mutation: rng.pick(family.mutations) });
  }
  for (let i = picks.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [picks[i], picks[j]] = [picks[j] as (typeof picks)[number], picks[i] as (typeof picks)[number]];
  }
  return picks.map((pick, index) => ({ index, ...pick }));
}

/** Runs `worker` over `items` with at most `concurrency` at a time, in order of start. */
export async function runBounded<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await worker(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
