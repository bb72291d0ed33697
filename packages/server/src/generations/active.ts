import { TERMINAL_STATUSES, type GenerationRecord, type GenerationService, type GenerationStore } from '@dotbase/core';

/**
 * Counts each user's unfinished generations, to cap how many one user runs at once. Follows the service's
 * events, and is seeded from the store at start so generations resumed after a restart count too.
 *
 * @example
 * const active = createActiveGenerations(service);
 * const release = active.tryReserve('alice', 20); // null → 429
 * active.tryReserve('shop:u-17', 20, { id: 'shop', max: 20 }); // counts toward shop's cap too
 * try { await service.create('alice', body); } finally { release?.(); }
 */
export function createActiveGenerations(service: Pick<GenerationService, 'subscribe'>): ActiveGenerations & { count(userId: string): number; groupCount(groupId: string): number } {
  const byUser = new Map<string, Set<string>>();
  // Slots taken by creates still on their way to the store, so concurrent requests cannot all pass the check.
  const reserved = new Map<string, number>();
  // A minter's end users (embed tokens): they count together with the minter, so minting identities does not
  // multiply the cap. Learned as they create, and at seed time from the ids' `<minter>:` prefix.
  const members = new Map<string, Set<string>>();

  function join(groupId: string, userId: string): void {
    let set = members.get(groupId);
    if (!set) members.set(groupId, (set = new Set()));
    set.add(userId);
  }

  function groupCount(groupId: string): number {
    let total = count(groupId);
    for (const userId of members.get(groupId) ?? []) if (userId !== groupId) total += count(userId);
    return total;
  }

  function remember(userId: string, id: string): void {
    let ids = byUser.get(userId);
    if (!ids) byUser.set(userId, (ids = new Set()));
    ids.add(id);
  }

  function forget(userId: string, id: string): void {
    const ids = byUser.get(userId);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) byUser.delete(userId);
  }

  function count(userId: string): number {
    return (byUser.get(userId)?.size ?? 0) + (reserved.get(userId) ?? 0);
  }

  service.subscribe((event) => {
    if (TERMINAL_STATUSES.includes(event.status)) forget(event.user_id, event.id);
    else remember(event.user_id, event.id);
  });

  return {
    count,
    /**
     * Takes a slot for a create about to start, or null when the user is at `max`. Call the returned release once
     * the create has finished (by then its generation counts through the events).
     */
    tryReserve(userId: string, max: number, group?: { id: string; max: number }): (() => void) | null {
      if (count(userId) >= max) return null;
      if (group) {
        join(group.id, userId);
        if (groupCount(group.id) >= group.max) return null;
      }
      reserved.set(userId, (reserved.get(userId) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (reserved.get(userId) ?? 1) - 1;
        if (left <= 0) reserved.delete(userId);
        else reserved.set(userId, left);
      };
    },
    /** A generation deleted while running emits nothing terminal; the route tells us. */
    forget,
    /** How many the user and, with a group, the whole group (a minter and its end users) have running. */
    groupCount,
    /** `groupOf` names the group (the minter) of a stored user id, if it has one. */
    async seed(store: Pick<GenerationStore, 'listUnfinished' | 'get'>, groupOf: (userId: string) => string | undefined = () => undefined): Promise<void> {
      for (const id of await store.listUnfinished()) {
        const record = await store.get(id);
        if (record && !TERMINAL_STATUSES.includes(record.status)) {
          remember(record.user_id, id);
          const group = groupOf(record.user_id);
          if (group !== undefined) join(group, record.user_id);
        }
      }
    },
  };
}

/** Called once the create has ended: with its generation when it made one, with nothing when it failed. */
export type Reservation = (created?: GenerationRecord) => void;

/** The cap on each user's running generations: in this process (`createActiveGenerations`) or shared (`createSharedActiveGenerations`). */
export interface ActiveGenerations {
  count(userId: string): number | Promise<number>;
  /** A slot for a create about to start, or null when the user (or its group) is at its cap. */
  tryReserve(userId: string, max: number, group?: { id: string; max: number }): Reservation | null | Promise<Reservation | null>;
  /** A generation deleted while running emits nothing terminal; the route tells us. */
  forget(userId: string, id: string): void;
  seed(store: Pick<GenerationStore, 'listUnfinished' | 'get'>, groupOf?: (userId: string) => string | undefined): Promise<void>;
}
