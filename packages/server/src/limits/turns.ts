import { HttpError } from '../http/errors.js';
import type { HeldSlots } from './held-slots.js';

/** How long an upload waits for the user's previous one (on any instance) before being told to retry. */
const MAX_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one task at a time per key: queued in this process, and with `held` (shared slots) also one at a time
 * across instances, by taking the key's single slot. The upload quota needs it: two uploads checked at once could
 * each fit and together exceed it.
 *
 * @example
 * const oneAtATime = createTurns(held);
 * await oneAtATime('upload:alice', async () => { check(); await store(); });
 */
export function createTurns(held?: HeldSlots) {
  const queues = new Map<string, Promise<unknown>>();

  async function sharedTurn<T>(key: string, run: () => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + MAX_WAIT_MS;
    for (let wait = 10; ; wait = Math.min(200, wait * 2)) {
      const release = await held!.take(`turn:${key}`, 1);
      if (release) {
        try {
          return await run();
        } finally {
          release();
        }
      }
      if (Date.now() > giveUpAt) throw new HttpError(503, 'busy', 'another request of yours is still being handled; try again shortly', { retryAfterSeconds: 1 });
      // another instance has the turn: the slot store has no wake-up, so ask again soon
      await sleep(wait);
    }
  }

  return async function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(held ? () => sharedTurn(key, run) : run);
    queues.set(key, current);
    try {
      return await current;
    } finally {
      if (queues.get(key) === current) queues.delete(key);
    }
  };
}

export type Turns = ReturnType<typeof createTurns>;
