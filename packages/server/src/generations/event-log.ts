import type { GenerationRecord, GenerationService } from '@dotbase/core';

/** One change of a generation with its place in that generation's history: 1, 2, 3, … */
export interface SequencedGenerationEvent {
  seq: number;
  record: GenerationRecord;
}

/**
 * The changes of each generation, numbered per generation, so an event stream can give every message an id
 * (`id: <seq>`) and a reconnect with `Last-Event-ID` can be sent exactly what it missed. With `DATABASE_URL` it is
 * the PostgreSQL event relay (`@dotbase/scale/postgres`), whose numbers mean the same on every instance; else the
 * in-memory log below, for this process.
 */
export interface GenerationEventLog {
  /** Every change of every generation with its number, as it happens (changes made on every instance). */
  subscribeSequenced(listener: (event: SequencedGenerationEvent) => void): () => void;
  /** The number of the newest change logged for a generation; 0 when none is (any later change is numbered above). */
  head(generationId: string): Promise<number>;
  /**
   * The change numbered `seq` (which the client has) and every later one, oldest first; `null` when the log no
   * longer holds them all (pruned, another process's history, or a number it never gave): the caller then sends
   * the current state.
   */
  since(generationId: string, seq: number): Promise<SequencedGenerationEvent[] | null>;
}

export interface MemoryEventLogOptions {
  /**
   * Changes kept in all (default 10,000, a few MB of records): past it the generation that changed least recently
   * is forgotten first, so a reconnect for it gets the current state.
   */
  maxEvents?: number;
  /** Changes kept per generation (default 200: far more than a generation makes). */
  maxEventsPerGeneration?: number;
}

/**
 * The event log of one process: the service's changes, numbered as they happen and kept in memory. A reconnect to
 * this process resumes; after a restart numbering starts again, and `since` answers `null` for a number the log
 * does not hold (the stream then sends the current state, which is all a client needs to render).
 */
export function createMemoryEventLog(service: Pick<GenerationService, 'subscribe'>, options: MemoryEventLogOptions = {}): GenerationEventLog {
  const maxEvents = options.maxEvents ?? 10_000;
  const maxPerGeneration = options.maxEventsPerGeneration ?? 200;
  let kept = 0;
  // insertion-ordered: the first key is the generation that changed least recently
  const logs = new Map<string, SequencedGenerationEvent[]>();
  const listeners = new Set<(event: SequencedGenerationEvent) => void>();

  service.subscribe(({ record }) => {
    const log = logs.get(record.id) ?? [];
    logs.delete(record.id);
    logs.set(record.id, log);
    const event = { seq: (log.at(-1)?.seq ?? 0) + 1, record };
    log.push(event);
    kept += 1;
    if (log.length > maxPerGeneration) {
      log.shift();
      kept -= 1;
    }
    while (kept > maxEvents && logs.size > 1) {
      const [oldest, events] = logs.entries().next().value as [string, SequencedGenerationEvent[]];
      logs.delete(oldest);
      kept -= events.length;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // one stream's bug must not stop delivery to the others
      }
    }
  });

  return {
    subscribeSequenced(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async head(generationId) {
      return logs.get(generationId)?.at(-1)?.seq ?? 0;
    },
    async since(generationId, seq) {
      return fromSeq(logs.get(generationId) ?? [], seq);
    },
  };
}

/**
 * `seq` and what follows it in `events` (ascending, consecutive), or `null` when `events` does not start at or
 * before `seq`. Seq 0 means "none seen": every event, provided the log still starts at 1.
 */
export function fromSeq(events: readonly SequencedGenerationEvent[], seq: number): SequencedGenerationEvent[] | null {
  const start = events.findIndex((event) => event.seq >= seq);
  if (seq === 0) return events.length === 0 || events[0]!.seq === 1 ? [...events] : null;
  if (start === -1 || events[start]!.seq !== seq) return null;
  return events.slice(start);
}
