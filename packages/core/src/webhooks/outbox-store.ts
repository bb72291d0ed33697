import type { Storage } from 'unstorage';
import { DotbaseError } from '../errors.js';
import { keySegment } from '../storage/key-segment.js';
import { createKeyedMutex } from '../storage/keyed-mutex.js';
import { storageCall } from '../storage/storage-error.js';
import type { OutboxMessage, OutboxStore } from './types.js';

/** A message keeps its latest attempts only: a receiver down for a day must not grow its record without end. */
const MAX_ATTEMPTS_KEPT = 100;

/**
 * The outbox on any unstorage driver (the embedded LMDB store in the server). Keys:
 * - `msg:<id>` — the message;
 * - `due` — `{ [id]: next_attempt_at }` of every pending message (small: only undelivered messages are in it);
 * - `gen:<generation id>` — the ids of one generation's messages, oldest first.
 *
 * Read-modify-writes run under in-process locks, so one process may run many workers; processes sharing one
 * store need a backend with atomic operations (another `OutboxStore`).
 *
 * @example
 * const outbox = createOutboxStore(prefixStorage(storage, 'outbox'));
 * await outbox.enqueue(message);
 * for (const due of await outbox.claimDue(Date.now(), 10, 30_000)) send(due);
 */
export function createOutboxStore(storage: Storage): OutboxStore {
  const withLock = createKeyedMutex();
  const msgKey = (id: string) => `msg:${keySegment(id)}`;
  const genKey = (id: string) => `gen:${keySegment(id)}`;
  const DUE = 'due';

  const read = <T>(key: string) => storageCall(`read ${key}`, () => storage.getItem<T>(key));
  const write = (key: string, value: unknown) => storageCall(`write ${key}`, () => storage.setItem(key, value as never));
  const remove = (key: string) => storageCall(`remove ${key}`, () => storage.removeItem(key));

  async function readDue(): Promise<Record<string, number>> {
    return (await read<Record<string, number>>(DUE)) ?? {};
  }

  async function setDue(id: string, at: number | null): Promise<void> {
    await withLock(DUE, async () => {
      const due = await readDue();
      if (at === null) delete due[id];
      else due[id] = at;
      await write(DUE, due);
    });
  }

  function checkMessage(message: OutboxMessage): void {
    if (typeof message.id !== 'string' || message.id === '') throw new DotbaseError('invalid_input', '[dotbase] [outbox] a message needs an id');
    if (message.status === 'pending' && !Number.isFinite(message.next_attempt_at)) {
      throw new DotbaseError('invalid_input', '[dotbase] [outbox] a pending message needs next_attempt_at');
    }
  }

  return {
    async enqueue(message) {
      checkMessage(message);
      const added = await withLock(msgKey(message.id), async () => {
        if (await read(msgKey(message.id))) return false;
        // the generation's list first: a message is never stored without a way to find it from its generation
        await withLock(genKey(message.generation_id), async () => {
          const ids = (await read<string[]>(genKey(message.generation_id))) ?? [];
          await write(genKey(message.generation_id), [...ids, message.id]);
        });
        await write(msgKey(message.id), message);
        return true;
      });
      // outside the message's lock: claimDue takes the due lock first and message locks inside it
      if (added && message.status === 'pending') await setDue(message.id, message.next_attempt_at);
      return added;
    },

    async claimDue(now, limit, leaseMs) {
      return withLock(DUE, async () => {
        const due = await readDue();
        const ids = Object.entries(due)
          .filter(([, at]) => at <= now)
          .sort((a, b) => a[1] - b[1])
          .slice(0, limit)
          .map(([id]) => id);
        const claimed: OutboxMessage[] = [];
        for (const id of ids) {
          const message = await withLock(msgKey(id), async () => {
            const stored = await read<OutboxMessage>(msgKey(id));
            if (!stored || stored.status !== 'pending') return null;
            const leased = { ...stored, next_attempt_at: now + leaseMs };
            await write(msgKey(id), leased);
            return leased;
          });
          if (message) {
            due[id] = now + leaseMs;
            claimed.push(message);
          } else {
            delete due[id];
          }
        }
        if (ids.length > 0) await write(DUE, due);
        return claimed;
      });
    },

    async recordAttempt(id, attempt, outcome) {
      const updated = await withLock(msgKey(id), async () => {
        const stored = await read<OutboxMessage>(msgKey(id));
        if (!stored) return null;
        const next: OutboxMessage = {
          ...stored,
          attempts: [...stored.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT),
          status: outcome.status,
          next_attempt_at: outcome.status === 'pending' ? outcome.next_attempt_at : null,
        };
        await write(msgKey(id), next);
        return next;
      });
      if (updated) await setDue(id, updated.next_attempt_at);
      return updated;
    },

    get(id) {
      return read<OutboxMessage>(msgKey(id));
    },

    async listByGeneration(generationId) {
      const ids = (await read<string[]>(genKey(generationId))) ?? [];
      const messages = await Promise.all(ids.map((id) => read<OutboxMessage>(msgKey(id))));
      return messages.filter((message): message is OutboxMessage => message !== null);
    },

    async nextDueAt() {
      const times = Object.values(await readDue());
      return times.length === 0 ? null : Math.min(...times);
    },

    async deleteByGeneration(generationId) {
      await withLock(genKey(generationId), async () => {
        const ids = (await read<string[]>(genKey(generationId))) ?? [];
        for (const id of ids) {
          await withLock(msgKey(id), () => remove(msgKey(id)));
          await setDue(id, null);
        }
        await remove(genKey(generationId));
      });
    },
  };
}
