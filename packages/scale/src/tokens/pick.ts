import type { AcquireResult } from '@dotbase/core';

/** What the pick needs to know about one token at the moment of an acquire. */
export interface Candidate {
  id: string;
  isActive: boolean;
  /** When the token may be leased again: the later of its cooldown's end and its budget's next free slot. */
  usableAt: number;
  inFlight: number;
  /** Order of its last acquire (0: never). */
  useSeq: number;
}

/**
 * The pool's rule, as the in-memory state applies it: among active tokens usable now, the fewest leases in flight,
 * then the least recently used, then the lowest id; else `wait` until the earliest becomes usable, or `none`.
 */
export function pickToken(candidates: readonly Candidate[], now: number): AcquireResult {
  let best: Candidate | undefined;
  let earliest = Number.POSITIVE_INFINITY;
  let anyActive = false;
  for (const candidate of candidates) {
    if (!candidate.isActive) continue;
    anyActive = true;
    if (candidate.usableAt > now) {
      earliest = Math.min(earliest, candidate.usableAt);
      continue;
    }
    if (
      !best ||
      candidate.inFlight < best.inFlight ||
      (candidate.inFlight === best.inFlight && (candidate.useSeq < best.useSeq || (candidate.useSeq === best.useSeq && candidate.id < best.id)))
    ) {
      best = candidate;
    }
  }
  if (!anyActive) return { kind: 'none' };
  return best ? { kind: 'leased', id: best.id } : { kind: 'wait', until: earliest };
}
