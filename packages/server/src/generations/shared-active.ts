import { randomUUID } from 'node:crypto';
import { TERMINAL_STATUSES, type GenerationRecord, type GenerationService, type GenerationStore } from '@dotbase/core';
import type { HeldSlots } from '../limits/held-slots.js';
import type { ActiveGenerations, Reservation } from './active.js';

/** Slots bound to a generation are never refused: the create already passed the cap with its reservation. */
const NO_LIMIT = 2_147_483_647;
/** Generations heard ending recently, for a create whose generation ended before its slot was bound. */
const REMEMBER_ENDED = 10_000;

/**
 * Each user's running generations counted across every instance, in the shared slot store: a create reserves a
 * slot atomically (count and take in one step, so two creates racing on two instances cannot both pass the cap);
 * once created, the reservation is handed to the generation (holder `gen:<id>`), which holds it until this
 * instance hears it end, from whichever instance finished it. Slots of an instance that died free themselves after their TTL.
 *
 * @example
 * const active = createSharedActiveGenerations(service, held);
 * const release = await active.tryReserve('alice', 20); // null → 429
 * creating.then((record) => release?.(record), () => release?.());
 */
export function createSharedActiveGenerations(service: Pick<GenerationService, 'subscribe'>, held: HeldSlots): ActiveGenerations {
  const userKey = (userId: string) => `active:${userId}`;
  const groupKey = (groupId: string) => `active-group:${groupId}`;
  // the slots this instance holds for generations, by generation id
  const bound = new Map<string, Array<() => void>>();
  const ended = new Set<string>();

  function unbind(id: string): void {
    const releases = bound.get(id);
    if (!releases) return;
    bound.delete(id);
    for (const release of releases) release();
  }

  function markEnded(id: string): void {
    ended.add(id);
    if (ended.size > REMEMBER_ENDED) ended.delete(ended.values().next().value as string);
    unbind(id);
  }

  service.subscribe((event) => {
    if (TERMINAL_STATUSES.includes(event.status)) markEnded(event.id);
  });

  /**
   * After slots were taken for a generation: if it ended meanwhile (its event came between two awaits), give back
   * every one of them, those taken after the event's unbind included.
   */
  function settle(id: string, releases: Array<() => void>): void {
    if (!ended.has(id)) return;
    if (bound.get(id) === releases) bound.delete(id);
    for (const release of releases) release();
  }

  /** Gives the generation slots of its own (idempotent: the holder is its id, whichever instance binds it). */
  async function bind(id: string, userId: string, groupId: string | undefined): Promise<void> {
    if (ended.has(id) || bound.has(id)) return;
    const releases: Array<() => void> = [];
    bound.set(id, releases);
    for (const key of [userKey(userId), ...(groupId === undefined ? [] : [groupKey(groupId)])]) {
      const release = await held.take(key, NO_LIMIT, `gen:${id}`);
      if (release) releases.push(release);
    }
    settle(id, releases);
  }

  /**
   * Hands a create's reserved slots to its generation in one step each (the count neither dips, which would let
   * a racing create past the cap, nor doubles, which would refuse one wrongly).
   */
  async function handOver(id: string, reserved: Array<{ key: string; holder: string; release: () => void }>): Promise<void> {
    if (bound.has(id)) {
      // already counted here (a seed found it first): the reservation is not needed
      for (const slot of reserved) slot.release();
      return;
    }
    const releases: Array<() => void> = [];
    bound.set(id, releases);
    for (const slot of reserved) {
      const moved = await held.move(slot.key, slot.holder, `gen:${id}`);
      // the reservation expired (this instance stalled past its TTL): take the generation's slot anew
      const release = moved ?? (await held.take(slot.key, NO_LIMIT, `gen:${id}`));
      if (release) releases.push(release);
    }
    settle(id, releases);
  }

  return {
    count: (userId) => held.count(userKey(userId)),

    async tryReserve(userId, max, group): Promise<Reservation | null> {
      const holder = `reservation:${randomUUID()}`;
      const reserved: Array<{ key: string; holder: string; release: () => void }> = [];
      const user = await held.take(userKey(userId), max, holder);
      if (!user) return null;
      reserved.push({ key: userKey(userId), holder, release: user });
      if (group) {
        const inGroup = await held.take(groupKey(group.id), group.max, holder);
        if (!inGroup) {
          user();
          return null;
        }
        reserved.push({ key: groupKey(group.id), holder, release: inGroup });
      }
      let done = false;
      return (created?: GenerationRecord) => {
        if (done) return;
        done = true;
        const giveBack = () => {
          for (const slot of reserved) slot.release();
        };
        if (!created || TERMINAL_STATUSES.includes(created.status) || ended.has(created.id)) return giveBack();
        handOver(created.id, reserved).catch(giveBack);
      };
    },

    forget: (_userId, id) => markEnded(id),

    async seed(store: Pick<GenerationStore, 'listUnfinished' | 'get'>, groupOf: (userId: string) => string | undefined = () => undefined): Promise<void> {
      // Generations resumed here, or left by an instance that died, count again (a holder already there is kept).
      // Young ones are skipped: their creator may still hold the create's reservation, and a second slot for the
      // same generation would refuse a create wrongly until the two merge.
      const youngerThan = Date.now() - held.ttlMs;
      for (const id of await store.listUnfinished()) {
        const record = await store.get(id);
        if (record && !TERMINAL_STATUSES.includes(record.status) && record.created_at < youngerThan) await bind(id, record.user_id, groupOf(record.user_id));
      }
    },
  };
}
