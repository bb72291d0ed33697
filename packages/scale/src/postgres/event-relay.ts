import { randomUUID } from 'node:crypto';
import type { GenerationEvent, GenerationRecord, GenerationStore } from '@dotbase/core';
import type { Sql } from './connect.js';

const CHANNEL = 'dotbase_generation_events';
/** NOTIFY payloads must stay under 8000 bytes: a larger record travels as its id and is read from the store. */
const MAX_INLINE_BYTES = 7000;

interface Message {
  /** The instance that published it (each instance ignores its own). */
  from: string;
  id: string;
  record?: GenerationRecord;
}

export interface EventRelay {
  /** Sends a change this instance made to every other instance. */
  publish(record: GenerationRecord): void;
  /** Calls `listener` with the changes other instances made. */
  subscribe(listener: (event: GenerationEvent) => void): () => void;
  /** Waits until the listening connection is up (changes published before that are not seen). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Generation events across instances over PostgreSQL LISTEN/NOTIFY: an SSE client on one instance sees the
 * progress and completion of a generation tracked by another. Notifications go out one after another from this
 * instance, so a generation's changes arrive in the order they were made. LISTEN needs a session of its own:
 * behind PgBouncer in transaction mode it does not work (see docs/scaling.md).
 *
 * @example
 * const relay = createPostgresEventRelay(sql, store);
 * service.subscribe((event) => relay.publish(event.record));
 */
export function createPostgresEventRelay(sql: Sql, store: Pick<GenerationStore, 'get'>, onError: (error: unknown) => void = () => {}): EventRelay {
  const instance = randomUUID();
  const listeners = new Set<(event: GenerationEvent) => void>();
  let queue: Promise<unknown> = Promise.resolve();

  function deliver(record: GenerationRecord): void {
    const event: GenerationEvent = { id: record.id, user_id: record.user_id, status: record.status, progress: record.progress, record };
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // one subscriber's bug must not stop delivery to the others
      }
    }
  }

  const listening = sql.listen(CHANNEL, (payload) => {
    let message: Message;
    try {
      message = JSON.parse(payload) as Message;
    } catch {
      return;
    }
    if (message.from === instance || typeof message.id !== 'string') return;
    if (message.record) deliver(message.record);
    else store.get(message.id).then((record) => record && deliver(record), onError);
  });
  listening.catch(onError);

  return {
    publish(record) {
      const inline = JSON.stringify({ from: instance, id: record.id, record } satisfies Message);
      const payload = Buffer.byteLength(inline) <= MAX_INLINE_BYTES ? inline : JSON.stringify({ from: instance, id: record.id } satisfies Message);
      queue = queue.then(() => sql.notify(CHANNEL, payload)).catch(onError);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ready() {
      await listening;
    },
    async close() {
      listeners.clear();
      await queue;
      await (await listening).unlisten();
    },
  };
}
