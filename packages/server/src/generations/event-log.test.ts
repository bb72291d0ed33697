import type { GenerationEvent, GenerationRecord } from '@dotbase/core';
import { makeGenerationRecord } from '@dotbase/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryEventLog } from './event-log.js';

/** The service's event side: what the log listens to. */
function changes() {
  const listeners = new Set<(event: GenerationEvent) => void>();
  return {
    subscribe(listener: (event: GenerationEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(record: GenerationRecord) {
      for (const listener of listeners) listener({ id: record.id, user_id: record.user_id, status: record.status, progress: record.progress, record });
    },
  };
}

describe('in-memory generation event log', () => {
  it('numbers each generation’s changes from 1 and replays from a number it holds', async () => {
    const service = changes();
    const log = createMemoryEventLog(service);
    const heard: number[] = [];
    log.subscribeSequenced((event) => heard.push(event.seq));
    const a = makeGenerationRecord({ status: 'processing' });
    const b = makeGenerationRecord({ status: 'processing' });
    for (const progress of [0.1, 0.2, 0.3]) service.emit({ ...a, progress });
    service.emit({ ...b, progress: 0.5 });
    expect(heard).toEqual([1, 2, 3, 1]);
    expect(await log.head(a.id)).toBe(3);
    expect(await log.head('unknown')).toBe(0);
    expect((await log.since(a.id, 2))!.map((event) => [event.seq, event.record.progress])).toEqual([[2, 0.2], [3, 0.3]]);
    expect((await log.since(a.id, 0))!.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(await log.since(a.id, 4)).toBeNull();
    expect(await log.since('unknown', 1)).toBeNull();
    expect(await log.since('unknown', 0)).toEqual([]);
  });

  it('stays bounded: a generation’s oldest changes, then the least recently changed generations, are forgotten', async () => {
    const service = changes();
    const log = createMemoryEventLog(service, { maxEvents: 6, maxEventsPerGeneration: 3 });
    const a = makeGenerationRecord({ status: 'processing' });
    for (let i = 1; i <= 5; i++) service.emit({ ...a, progress: i / 10 });
    // numbering goes on; the log holds only the last 3, and says so instead of replaying a part
    expect(await log.head(a.id)).toBe(5);
    expect(await log.since(a.id, 1)).toBeNull();
    expect(await log.since(a.id, 0)).toBeNull();
    expect((await log.since(a.id, 3))!.map((event) => event.seq)).toEqual([3, 4, 5]);
    const others = [makeGenerationRecord(), makeGenerationRecord()];
    for (const other of others) for (let i = 0; i < 2; i++) service.emit({ ...other, progress: i / 10 });
    // 3 + 2 + 2 = 7 > 6: `a`, changed least recently, is forgotten
    expect(await log.head(a.id)).toBe(0);
    expect(await log.head(others[0]!.id)).toBe(2);
    expect((await log.since(others[1]!.id, 1))!.map((event) => event.seq)).toEqual([1, 2]);
  });
});
