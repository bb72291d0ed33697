import { DotbaseError } from '../errors.js';
import type { AcquireResult, LeaseFailure, LeaseOutcome, TokenBudget, TokenPoolState, TokenStats } from './types.js';

interface TokenEntry {
  stats: TokenStats;
  /**
   * Order of the last acquire. Ties on "least recently used" are broken by this counter rather than by
   * `last_used_at`, because many leases can start in the same millisecond and round-robin must still hold.
   */
  lastUseSeq: number;
  /** Acquire times inside the budget window, oldest first (a sliding-window log, at most `budget.limit` long). */
  budgetLog: number[];
}

function freshStats(id: string): TokenStats {
  return {
    id,
    is_active: true,
    request_count: 0,
    error_count: 0,
    in_flight: 0,
    last_used_at: null,
    last_error: null,
    cooldown_until: null,
  };
}

/** Drops acquire times that left the window; an acquire at `t` counts while `t > now - windowMs`. */
function pruneBudgetLog(entry: TokenEntry, now: number, budget: TokenBudget): void {
  const horizon = now - budget.windowMs;
  let expired = 0;
  while (expired < entry.budgetLog.length && (entry.budgetLog[expired] as number) <= horizon) expired++;
  if (expired > 0) entry.budgetLog.splice(0, expired);
}

/** When the token may be leased again: the later of its cooldown end and the moment the budget frees a slot. */
function usableAt(entry: TokenEntry, now: number, budget: TokenBudget | undefined): number {
  let at = Math.max(now, entry.stats.cooldown_until ?? now);
  if (budget) {
    pruneBudgetLog(entry, now, budget);
    const over = entry.budgetLog.length - budget.limit;
    // The slot frees when the (over)-th oldest acquire leaves the window.
    if (over >= 0) at = Math.max(at, (entry.budgetLog[over] as number) + budget.windowMs);
  }
  return at;
}

/** Fewest in flight, then least recently used (never used first), then id. */
function isBetterCandidate(a: TokenEntry, b: TokenEntry): boolean {
  if (a.stats.in_flight !== b.stats.in_flight) return a.stats.in_flight < b.stats.in_flight;
  if (a.lastUseSeq !== b.lastUseSeq) return a.lastUseSeq < b.lastUseSeq;
  return a.stats.id < b.stats.id;
}

function applyFailure(entry: TokenEntry, failure: LeaseFailure): void {
  const stats = entry.stats;
  if (failure.countsAsError) stats.error_count += 1;
  if (failure.countsAsError || failure.disable) stats.last_error = failure.error;
  // A concurrent lease may already have set a longer cooldown; never shorten it.
  if (failure.cooldownUntil !== undefined) {
    stats.cooldown_until = Math.max(stats.cooldown_until ?? failure.cooldownUntil, failure.cooldownUntil);
  }
  if (failure.disable) stats.is_active = false;
}

/**
 * Token-pool state in this process's memory: the default for a single server. Every method completes its work
 * synchronously before its promise resolves, so `acquire` is atomic among concurrent callers of one process.
 *
 * Budget: a sliding window per token of acquire times (when `acquire` gets a budget); a token that reached
 * `limit` acquires in the last `windowMs` is skipped until the oldest of them leaves the window.
 *
 * @example
 * const state = createMemoryTokenPoolState();
 * await state.register(['tok_a', 'tok_b']);
 * const result = await state.acquire(Date.now(), { limit: 600, windowMs: 60_000 });
 */
export function createMemoryTokenPoolState(): TokenPoolState {
  const entries = new Map<string, TokenEntry>();
  let useSeq = 0;

  function entryOf(id: string): TokenEntry {
    const entry = entries.get(id);
    if (!entry) throw new DotbaseError('not_found', `unknown token id ${id}`);
    return entry;
  }

  function acquire(now: number, budget: TokenBudget | undefined): AcquireResult {
    let best: TokenEntry | undefined;
    let earliest = Number.POSITIVE_INFINITY;
    let anyActive = false;
    for (const entry of entries.values()) {
      if (!entry.stats.is_active) continue;
      anyActive = true;
      const at = usableAt(entry, now, budget);
      if (at > now) earliest = Math.min(earliest, at);
      else if (!best || isBetterCandidate(entry, best)) best = entry;
    }
    if (!anyActive) return { kind: 'none' };
    if (!best) return { kind: 'wait', until: earliest };
    best.stats.in_flight += 1;
    best.stats.request_count += 1;
    best.stats.last_used_at = now;
    best.lastUseSeq = ++useSeq;
    if (budget) best.budgetLog.push(now);
    return { kind: 'leased', id: best.stats.id };
  }

  return {
    async register(ids) {
      for (const id of ids) {
        if (!entries.has(id)) entries.set(id, { stats: freshStats(id), lastUseSeq: 0, budgetLog: [] });
      }
    },
    async acquire(now, budget) {
      return acquire(now, budget);
    },
    async release(id, outcome: LeaseOutcome) {
      const entry = entryOf(id);
      entry.stats.in_flight = Math.max(0, entry.stats.in_flight - 1);
      if (!outcome.ok) applyFailure(entry, outcome);
    },
    async recordFailure(id, failure) {
      applyFailure(entryOf(id), failure);
    },
    async setActive(id, active) {
      entryOf(id).stats.is_active = active;
    },
    async list() {
      return [...entries.values()].map((entry) => ({ ...entry.stats })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async get(id) {
      const entry = entries.get(id);
      return entry ? { ...entry.stats } : undefined;
    },
  };
}
