import { TERMINAL_STATUSES, type BatchStore, type GenerationService, type GenerationStore } from '@dotbase/core';
import type { Logger } from '../log.js';

type BatchQueue = Pick<BatchStore, 'queueItems' | 'claimNextItem' | 'markItemRunning' | 'finishItem' | 'dropItems' | 'queuedItems'>;

export interface BatchSchedulerOptions {
  service: Pick<GenerationService, 'submitHeld' | 'subscribe'>;
  store: Pick<GenerationStore, 'get' | 'listUnfinished'>;
  /** Where items wait and which are claimed or running: shared by every instance's scheduler on one database. */
  batches: BatchQueue;
  /** Batch items of one user running at once (submitted, not yet finished), over every instance. */
  perUser: number;
  /** Batch items running at once over every user and every instance. */
  total: number;
  logger: Logger;
  /** How often the queue is looked at for slots freed elsewhere (another instance) and claims run out (default 1 s). */
  pollMs?: number;
  /** How often running items are checked against their generation, in case an end was missed (default 10 s). */
  sweepMs?: number;
  /** How long an item being submitted is this scheduler's before another may take it (default 60 s). */
  claimMs?: number;
  now?: () => number;
}

/**
 * Runs batch items fairly, across any number of instances. Items wait in the batch store's queue; each scheduler
 * claims the next one there (an atomic step of the store that counts the slots of every instance: at most
 * `perUser` of a user's items and `total` overall run at once, users take turns) and only then submits it, so an
 * item is submitted by one instance. A 100-item batch holds a few slots, another user's batch gets its turn at the
 * next free slot, and single creates (which never queue here) meet a token pool that batches can never fill.
 *
 * A claim is a lease: if this instance dies before the item's submission began, another takes the item when the
 * lease runs out (the service refuses to submit one whose submission began: recovery adopts its prediction).
 * Slots are freed when an item ends (its generation's event, heard from any instance) and, should an end be
 * missed, by a periodic sweep against the generation records. At start the queue is filled from the generation
 * records (items already queued are left as they are), so nothing a restart or an in-memory queue lost is missed.
 *
 * @example
 * const scheduler = createBatchScheduler({ service, store, batches, perUser: 4, total: 16, logger });
 * await scheduler.start();
 * await scheduler.add('alice', batchRecords.map((r) => r.id));
 */
export function createBatchScheduler(options: BatchSchedulerOptions) {
  const { service, batches, logger } = options;
  const limits = { perUser: options.perUser, total: options.total };
  const pollMs = options.pollMs ?? 1000;
  const sweepMs = options.sweepMs ?? 10_000;
  const claimMs = options.claimMs ?? 60_000;
  const now = options.now ?? Date.now;
  let unsubscribe = () => {};
  let running = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let poller: ReturnType<typeof setInterval> | undefined;
  let sweeper: ReturnType<typeof setInterval> | undefined;

  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

  async function finished(id: string): Promise<void> {
    if (await batches.finishItem(id)) pump();
  }

  /** Never rejects: whatever goes wrong is logged, and the item's claim or slot is left to end on its own. */
  async function submit(id: string): Promise<void> {
    let record: Awaited<ReturnType<typeof service.submitHeld>>;
    try {
      record = await service.submitHeld(id);
    } catch (error) {
      // the service recorded the item as failed; free its slot in case that event came before we listened
      logger.warn('batch item not submitted', { generation: id, error: errorText(error) });
      await finished(id).catch(() => undefined);
      return;
    }
    try {
      // not submitted (cancelled or deleted meanwhile), or over already: the slot is free again
      if (!record || TERMINAL_STATUSES.includes(record.status)) await finished(id);
      // submitted here, or its submission had begun elsewhere (recovery's now): it holds its slot until it ends
      else await batches.markItemRunning(id);
    } catch (error) {
      // the claim runs out, and whoever claims the item next finds it submitted and marks it running
      logger.warn('batch queue not updated', { generation: id, error: errorText(error) });
    }
  }

  /** Claims and submits items while the limits let them start; one round at a time, another after it if asked. */
  function pump(): void {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        for (;;) {
          if (!running) return;
          const item = await batches.claimNextItem(limits, now(), claimMs);
          if (!item) break;
          // not awaited: a submission may wait for a token, and the next item need not wait for it
          void submit(item.id);
        }
      } while (again);
    })()
      .catch((error: unknown) => logger.error('batch queue unreadable', { error: errorText(error) }))
      .finally(() => {
        pumping = undefined;
      });
  }

  /** Frees the slots of running items whose generation is over or gone (an end this instance did not hear). */
  async function sweep(): Promise<void> {
    for (const item of await batches.queuedItems()) {
      if (item.state !== 'running') continue;
      const record = await options.store.get(item.id).catch(() => undefined);
      if (record === null || (record && TERMINAL_STATUSES.includes(record.status))) await finished(item.id);
    }
  }

  return {
    /** Queues a user's held items, in order, and starts what may start. */
    async add(userId: string, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await batches.queueItems(userId, ids);
      pump();
    },

    /** Takes items out of the queue (their batch was cancelled); returns the ones that had not started. */
    drop(_userId: string, ids: readonly string[]): Promise<string[]> {
      return batches.dropItems(ids);
    },

    /** Listens for items that finish, queues every unfinished batch item a previous run left, and starts. */
    async start(): Promise<void> {
      running = true;
      unsubscribe = service.subscribe((event) => {
        if (event.record.batch_id && TERMINAL_STATUSES.includes(event.status)) {
          finished(event.id).catch((error: unknown) => logger.warn('batch item slot not freed', { generation: event.id, error: errorText(error) }));
        }
      });
      const waiting = new Map<string, string[]>();
      const submitted = new Map<string, string[]>();
      for (const id of await options.store.listUnfinished()) {
        const record = await options.store.get(id);
        if (!record?.batch_id) continue;
        // one submitted (or being submitted) before is followed or recovered by the service: it holds its slot
        const into = record.status === 'pending' && !record.prediction_id && !record.submit_started_at ? waiting : submitted;
        into.set(record.user_id, [...(into.get(record.user_id) ?? []), id]);
      }
      // listUnfinished answers oldest first: each user's items keep their order
      for (const [userId, ids] of submitted) await batches.queueItems(userId, ids, 'running');
      for (const [userId, ids] of waiting) await batches.queueItems(userId, ids, 'waiting');
      await sweep();
      poller = setInterval(pump, pollMs);
      sweeper = setInterval(() => void sweep().catch((error: unknown) => logger.warn('batch items not checked', { error: errorText(error) })), sweepMs);
      // the timers alone must not keep a process alive
      poller.unref?.();
      sweeper.unref?.();
      pump();
    },

    /** Stops claiming (submissions under way go on). Waiting items stay queued for any instance. */
    async stop(): Promise<void> {
      running = false;
      unsubscribe();
      clearInterval(poller);
      clearInterval(sweeper);
      await pumping;
    },

    /** Items waiting and holding a slot (claimed or running), over every instance: for tests and monitoring. */
    async counts(): Promise<{ queued: number; running: number }> {
      const items = await batches.queuedItems();
      const queued = items.filter((item) => item.state === 'waiting').length;
      return { queued, running: items.length - queued };
    },
  };
}

export type BatchScheduler = ReturnType<typeof createBatchScheduler>;
