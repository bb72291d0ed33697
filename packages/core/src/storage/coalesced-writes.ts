import type { Storage } from 'unstorage';

/** The value a queued removal writes. */
export const REMOVED: unique symbol = Symbol('removed');

interface KeyQueue {
  /** The newest value handed in: what the next write of this key will store. */
  value: unknown;
  version: number;
  written: number;
  /** Callers waiting for a write that includes `version` (theirs, or the newest when they asked). */
  waiters: Array<{ version: number; resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Per-key group commit. Writes of one key go to the storage one at a time and always carry the newest value: if
 * ten changes of a key arrive while one write of it is on its way, they all become one next write, and each caller
 * is answered when a write that includes its change is done. A hot key (a user's index meta, the stats bucket of
 * this hour) then costs about two writes however many generations change it at once, instead of one write each,
 * queued behind each other. Writes of different keys run side by side.
 *
 * Values are serialised when their write starts, so a caller may keep changing the object it handed in, as long as
 * it hands it in again after each change (and does so while holding the lock that guards the key).
 */
export function createCoalescedWrites(storage: Storage, onFailed: (key: string) => void) {
  const queues = new Map<string, KeyQueue>();

  async function drain(key: string, queue: KeyQueue): Promise<void> {
    while (queue.written < queue.version) {
      const { value, version } = queue;
      let failure: { error: unknown } | undefined;
      try {
        if (value === REMOVED) await storage.removeItem(key);
        else await storage.setItem(key, typeof value === 'string' ? value : JSON.stringify(value));
      } catch (error) {
        failure = { error };
        // Nothing newer is queued: forget the value that never reached the storage, so reads see what did.
        if (queue.version === version) onFailed(key);
      }
      queue.written = version;
      const served = queue.waiters.filter((waiter) => waiter.version <= version);
      queue.waiters = queue.waiters.filter((waiter) => waiter.version > version);
      for (const waiter of served) {
        if (failure) waiter.reject(failure.error);
        else waiter.resolve();
      }
    }
    queues.delete(key);
  }

  function waitFor(queue: KeyQueue): Promise<void> {
    const version = queue.version;
    return new Promise<void>((resolve, reject) => queue.waiters.push({ version, resolve, reject }));
  }

  return {
    /** Queues `value` (or REMOVED) as the key's next state; resolves once a write that includes it is done. */
    write(key: string, value: unknown): Promise<void> {
      let queue = queues.get(key);
      const idle = !queue;
      if (!queue) {
        queue = { value, version: 0, written: 0, waiters: [] };
        queues.set(key, queue);
      }
      queue.value = value;
      queue.version += 1;
      const done = waitFor(queue);
      if (idle) void drain(key, queue);
      return done;
    },
    /** Resolves once the key's newest queued value is written (at once if nothing is queued). */
    flushed(key: string): Promise<void> {
      const queue = queues.get(key);
      return queue ? waitFor(queue) : Promise.resolve();
    },
    /** The value waiting for (or in) its write, if any: newer than anything the storage can return. */
    pending(key: string): { value: unknown } | undefined {
      const queue = queues.get(key);
      return queue ? { value: queue.value } : undefined;
    },
  };
}
