import { TERMINAL_STATUSES, type GenerationService, type GenerationStore } from '@dotbase/core';
import type { Logger } from '../log.js';

export interface BatchSchedulerOptions {
  service: Pick<GenerationService, 'submitHeld' | 'subscribe'>;
  store: Pick<GenerationStore, 'get' | 'listUnfinished'>;
  /** Batch items of one user running at once (submitted, not yet finished). */
  perUser: number;
  /** Batch items running at once over every user. */
  total: number;
  logger: Logger;
}

/**
 * Runs batch items fairly. Items wait in one queue per user and are submitted in turns, one user after another,
 * with at most `perUser` of a user's items and `total` items overall running at once. So a 100-item batch holds a
 * few slots, another user's batch gets its turn at the next free slot, and single creates (which never queue here)
 * meet a token pool that batches can never fill.
 *
 * Items are generations recorded `pending` with a `batch_id` (nothing else is kept in memory that a restart could
 * lose): `resume` queues every such item again, in creation order.
 *
 * @example
 * const scheduler = createBatchScheduler({ service, store, perUser: 4, total: 16, logger });
 * await scheduler.resume();
 * scheduler.add('alice', batchRecords.map((r) => r.id));
 */
export function createBatchScheduler(options: BatchSchedulerOptions) {
  const { service, logger } = options;
  const queues = new Map<string, string[]>();
  const running = new Map<string, Set<string>>();
  /** Which user goes next: users in turn order, rotated as each is served. */
  let turns: string[] = [];
  let runningTotal = 0;
  let unsubscribe = () => {};

  function finished(id: string, userId: string): void {
    const mine = running.get(userId);
    if (!mine?.delete(id)) return;
    runningTotal -= 1;
    if (mine.size === 0) running.delete(userId);
    pump();
  }

  function submit(userId: string, id: string): void {
    service
      .submitHeld(id)
      .then((record) => {
        // not submitted (cancelled or deleted meanwhile), or over already: the slot is free again
        if (!record || TERMINAL_STATUSES.includes(record.status)) finished(id, userId);
      })
      .catch((error: unknown) => {
        // the service recorded the item as failed; free its slot in case that event came before we listened
        logger.warn('batch item not submitted', { generation: id, error: error instanceof Error ? error.message : String(error) });
        finished(id, userId);
      });
  }

  function pump(): void {
    while (runningTotal < options.total) {
      const next = turns.findIndex((userId) => (queues.get(userId)?.length ?? 0) > 0 && (running.get(userId)?.size ?? 0) < options.perUser);
      if (next === -1) return;
      const userId = turns[next] as string;
      // this user goes to the back of the line
      turns = [...turns.slice(0, next), ...turns.slice(next + 1), userId];
      const queue = queues.get(userId) as string[];
      const id = queue.shift() as string;
      if (queue.length === 0) {
        queues.delete(userId);
        turns = turns.filter((user) => user !== userId);
      }
      let mine = running.get(userId);
      if (!mine) running.set(userId, (mine = new Set()));
      mine.add(id);
      runningTotal += 1;
      submit(userId, id);
    }
  }

  function add(userId: string, ids: string[]): void {
    if (ids.length === 0) return;
    queues.set(userId, [...(queues.get(userId) ?? []), ...ids]);
    if (!turns.includes(userId)) turns.push(userId);
    pump();
  }

  return {
    /** Queues a user's held items, in order. */
    add,

    /** Takes items out of the queue (their batch was cancelled); returns the ones that had not started. */
    drop(userId: string, ids: readonly string[]): string[] {
      const queue = queues.get(userId);
      if (!queue) return [];
      const dropping = new Set(ids);
      const kept = queue.filter((id) => !dropping.has(id));
      if (kept.length === 0) queues.delete(userId);
      else queues.set(userId, kept);
      return queue.filter((id) => dropping.has(id));
    },

    /** Listens for items that finish, and queues again every held item a previous run left. */
    async start(): Promise<void> {
      unsubscribe = service.subscribe((event) => {
        if (TERMINAL_STATUSES.includes(event.status)) finished(event.id, event.user_id);
      });
      const held: { id: string; user: string; at: number }[] = [];
      for (const id of await options.store.listUnfinished()) {
        const record = await options.store.get(id);
        if (!record?.batch_id) continue;
        if (record.status === 'pending' && !record.prediction_id) {
          held.push({ id, user: record.user_id, at: record.created_at });
        } else {
          // submitted before the restart and still running: it holds its user's slot until it ends
          let mine = running.get(record.user_id);
          if (!mine) running.set(record.user_id, (mine = new Set()));
          if (!mine.has(id)) runningTotal += 1;
          mine.add(id);
        }
      }
      held.sort((a, b) => a.at - b.at);
      const byUser = new Map<string, string[]>();
      for (const item of held) byUser.set(item.user, [...(byUser.get(item.user) ?? []), item.id]);
      for (const [userId, ids] of byUser) add(userId, ids);
    },

    stop(): void {
      unsubscribe();
      queues.clear();
    },

    /** Items waiting and running, for tests and monitoring. */
    counts(): { queued: number; running: number } {
      let queued = 0;
      for (const queue of queues.values()) queued += queue.length;
      return { queued, running: runningTotal };
    },
  };
}

export type BatchScheduler = ReturnType<typeof createBatchScheduler>;
