import type { BatchItem, BatchStore } from './types.js';

type Queue = Pick<BatchStore, 'queueItems' | 'claimNextItem' | 'markItemRunning' | 'finishItem' | 'dropItems' | 'queuedItems'>;

interface Entry {
  user_id: string;
  state: BatchItem['state'];
  claimed_until: number | null;
  seq: number;
}

/**
 * The batch items' queue in this process's memory, for the embedded store. The embedded store serves one process,
 * and nothing is lost with a restart: the scheduler queues every unfinished batch item again at start from the
 * generation records (waiting ones still `pending` without a submission, running ones otherwise). Each operation
 * runs without awaiting anything, so it is atomic within the process.
 */
export function createMemoryBatchQueue(): Queue {
  const items = new Map<string, Entry>();
  /** The turn each user was last served in; a user never served counts as 0 (goes first). */
  const turns = new Map<string, number>();
  let seq = 0;
  let turn = 0;

  const holdsSlot = (entry: Entry, now: number) => entry.state === 'running' || (entry.state === 'claimed' && (entry.claimed_until ?? 0) > now);

  return {
    async queueItems(userId, ids, state = 'waiting') {
      for (const id of ids) {
        if (!items.has(id)) items.set(id, { user_id: userId, state, claimed_until: null, seq: ++seq });
      }
    },

    async claimNextItem(limits, now, leaseMs) {
      const active = new Map<string, number>();
      let total = 0;
      for (const entry of items.values()) {
        if (!holdsSlot(entry, now)) continue;
        total += 1;
        active.set(entry.user_id, (active.get(entry.user_id) ?? 0) + 1);
      }
      if (total >= limits.total) return null;
      let best: [string, Entry] | undefined;
      for (const [id, entry] of items) {
        if (holdsSlot(entry, now) || entry.state === 'running') continue;
        if ((active.get(entry.user_id) ?? 0) >= limits.perUser) continue;
        if (!best) {
          best = [id, entry];
          continue;
        }
        const order = (turns.get(entry.user_id) ?? 0) - (turns.get(best[1].user_id) ?? 0) || entry.seq - best[1].seq;
        if (order < 0) best = [id, entry];
      }
      if (!best) return null;
      const [id, entry] = best;
      entry.state = 'claimed';
      entry.claimed_until = now + leaseMs;
      turns.set(entry.user_id, ++turn);
      return { id, user_id: entry.user_id, state: 'claimed' };
    },

    async markItemRunning(id) {
      const entry = items.get(id);
      if (entry?.state !== 'claimed') return;
      entry.state = 'running';
      entry.claimed_until = null;
    },

    async finishItem(id) {
      return items.delete(id);
    },

    async dropItems(ids) {
      const dropped: string[] = [];
      for (const id of ids) {
        if (items.get(id)?.state !== 'waiting') continue;
        items.delete(id);
        dropped.push(id);
      }
      return dropped;
    },

    async queuedItems() {
      return [...items].sort((a, b) => a[1].seq - b[1].seq).map(([id, entry]) => ({ id, user_id: entry.user_id, state: entry.state }));
    },
  };
}
