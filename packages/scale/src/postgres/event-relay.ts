import { randomUUID } from 'node:crypto';
import type { GenerationEvent, GenerationRecord } from '@dotbase/core';
import type { Sql } from './connect.js';

const CHANNEL = 'dotbase_generation_events';
/** NOTIFY payloads must stay under 8000 bytes: a larger record travels as its number and is read from the table. */
const MAX_INLINE_BYTES = 7000;

interface Message {
  /** The instance that published it (each instance hears its own changes at publish time instead). */
  from: string;
  id: string;
  seq: number;
  record?: GenerationRecord;
}

/** One change of a generation with its number in that generation's history (1, 2, 3, …), the same on every instance. */
export interface SequencedGenerationEvent {
  seq: number;
  record: GenerationRecord;
}

export interface EventRelayOptions {
  /** Called with what failed in the background (publishing, listening, pruning). */
  onError?: (error: unknown) => void;
  /** How long a change stays in `generation_events` for resumes (default one hour). */
  retentionMs?: number;
  /** How often this instance deletes older changes (default every 10 minutes). */
  pruneEveryMs?: number;
}

export interface EventRelay {
  /** Numbers a change this instance made and sends it to every instance (its own sequenced listeners included). */
  publish(record: GenerationRecord): void;
  /** Calls `listener` with the changes other instances made. */
  subscribe(listener: (event: GenerationEvent) => void): () => void;
  /** Calls `listener` with every change, this instance's and the others', with its number. */
  subscribeSequenced(listener: (event: SequencedGenerationEvent) => void): () => void;
  /** The number of a generation's newest change; 0 when none is kept. */
  head(generationId: string): Promise<number>;
  /**
   * The change numbered `seq` and every later one, oldest first (for `seq` 0: all, if none was pruned); `null` when
   * they are no longer all kept, or `seq` was never given.
   */
  since(generationId: string, seq: number): Promise<SequencedGenerationEvent[] | null>;
  /** Waits until the listening connection is up (changes published before that are not heard live). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Generation events across instances, numbered so a stream can resume anywhere. Each change is a row in
 * `generation_events` with the next number of its generation, and a NOTIFY on `dotbase_generation_events` sent in
 * the same transaction. Why this and not a bigserial or Redis Streams: the number is taken under a per-generation
 * advisory lock, so numbers are given in commit order (a bigserial can commit out of order, and a reader that saw 11
 * would skip 10 committing late), and NOTIFY is delivered at commit, in commit order, so a listener can always read
 * the row it hears about. It needs only PostgreSQL, which every multi-instance install has; Redis is optional.
 * LISTEN needs a session of its own: behind PgBouncer in transaction mode it does not work (see docs/scaling.md).
 *
 * @example
 * const relay = createPostgresEventRelay(sql);
 * service.subscribe((event) => relay.publish(event.record));
 */
export function createPostgresEventRelay(sql: Sql, options: EventRelayOptions = {}): EventRelay {
  const onError = options.onError ?? (() => {});
  const retentionSeconds = Math.ceil((options.retentionMs ?? 60 * 60 * 1000) / 1000);
  const instance = randomUUID();
  const listeners = new Set<(event: GenerationEvent) => void>();
  const sequencedListeners = new Set<(event: SequencedGenerationEvent) => void>();
  // this instance's publishes, one after another: a generation's changes are numbered in the order they were made
  let outgoing: Promise<unknown> = Promise.resolve();
  // what others published, in the order heard, even when a large record has to be read first
  let incoming: Promise<unknown> = Promise.resolve();

  function each<T>(set: Set<(value: T) => void>, value: T): void {
    for (const listener of set) {
      try {
        listener(value);
      } catch {
        // one subscriber's bug must not stop delivery to the others
      }
    }
  }
  function deliver(event: SequencedGenerationEvent, fromHere: boolean): void {
    const { record } = event;
    if (!fromHere) each(listeners, { id: record.id, user_id: record.user_id, status: record.status, progress: record.progress, record } satisfies GenerationEvent);
    each(sequencedListeners, event);
  }

  async function read(id: string, seq: number): Promise<GenerationRecord | undefined> {
    const [row] = await sql<{ record: GenerationRecord }[]>`SELECT record FROM generation_events WHERE generation_id = ${id} AND seq = ${seq}`;
    return row?.record;
  }

  const listening = sql.listen(CHANNEL, (payload) => {
    let message: Message;
    try {
      message = JSON.parse(payload) as Message;
    } catch {
      return;
    }
    if (message.from === instance || typeof message.id !== 'string' || !Number.isSafeInteger(message.seq)) return;
    const { id, seq, record } = message;
    incoming = incoming
      .then(async () => {
        const full = record ?? (await read(id, seq));
        if (full) deliver({ seq, record: full }, false);
      })
      .catch(onError);
  });
  listening.catch(onError);

  async function append(record: GenerationRecord): Promise<SequencedGenerationEvent> {
    return sql.begin(async (tx) => {
      // one numbering at a time per generation: numbers follow commit order (hashtext: a rare collision only serialises two generations)
      await tx`SELECT pg_advisory_xact_lock(hashtext(${`dotbase_generation_events:${record.id}`}))`;
      const [row] = await tx<{ seq: number }[]>`
        INSERT INTO generation_events (generation_id, seq, record)
        SELECT ${record.id}, COALESCE(MAX(seq), 0) + 1, ${tx.json(record as never)} FROM generation_events WHERE generation_id = ${record.id}
        RETURNING seq`;
      const seq = row!.seq;
      const inline = JSON.stringify({ from: instance, id: record.id, seq, record } satisfies Message);
      const payload = Buffer.byteLength(inline) <= MAX_INLINE_BYTES ? inline : JSON.stringify({ from: instance, id: record.id, seq } satisfies Message);
      // delivered when this transaction commits, so a listener finds the row
      await tx`SELECT pg_notify(${CHANNEL}, ${payload})`;
      return { seq, record };
    });
  }

  const prune = () => {
    sql`DELETE FROM generation_events WHERE created_at < now() - make_interval(secs => ${retentionSeconds})`.catch(onError);
  };
  const pruning = setInterval(prune, options.pruneEveryMs ?? 10 * 60 * 1000);
  pruning.unref();

  return {
    publish(record) {
      outgoing = outgoing
        .then(() => append(record))
        .then((event) => deliver(event, true))
        .catch(onError);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeSequenced(listener) {
      sequencedListeners.add(listener);
      return () => sequencedListeners.delete(listener);
    },
    async head(generationId) {
      const [row] = await sql<{ seq: number }[]>`SELECT COALESCE(MAX(seq), 0)::int AS seq FROM generation_events WHERE generation_id = ${generationId}`;
      return row?.seq ?? 0;
    },
    async since(generationId, seq) {
      if (!Number.isSafeInteger(seq) || seq < 0 || seq > 2 ** 31 - 1) return null;
      const rows = await sql<SequencedGenerationEvent[]>`
        SELECT seq, record FROM generation_events WHERE generation_id = ${generationId} AND seq >= ${seq} ORDER BY seq`;
      // numbers are consecutive, so the log is whole from `seq` on when it still holds `seq` itself (or 1, for 0)
      if (seq === 0) return rows.length === 0 || rows[0]!.seq === 1 ? [...rows] : null;
      return rows[0]?.seq === seq ? [...rows] : null;
    },
    async ready() {
      await listening;
    },
    async close() {
      clearInterval(pruning);
      listeners.clear();
      sequencedListeners.clear();
      await outgoing;
      await incoming;
      await (await listening).unlisten();
    },
  };
}
