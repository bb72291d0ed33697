import type { GenerationRecord } from '@dotbase/core';
import { makeGenerationRecord } from '@dotbase/core/testing';
import { describe, expect, it } from 'vitest';
import { createPostgresEventRelay, type EventRelay, type SequencedGenerationEvent } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

/** Resolves with the first `count` sequenced events `relay` hears for generation `id`. */
function hear(relay: EventRelay, id: string, count: number): Promise<SequencedGenerationEvent[]> {
  const heard: SequencedGenerationEvent[] = [];
  return new Promise((resolve) => {
    const stop = relay.subscribeSequenced((event) => {
      if (event.record.id !== id) return;
      heard.push(event);
      if (heard.length === count) {
        stop();
        resolve(heard);
      }
    });
  });
}

describe.skipIf(!postgresAvailable())('PostgreSQL event relay (numbered generation events across instances)', () => {
  const pg = usePostgres();

  it('numbers each generation’s changes 1, 2, 3 on every instance, whichever publishes, and replays from a number', async () => {
    const { url, sql } = await pg.freshDatabase();
    const a = createPostgresEventRelay(sql);
    const b = createPostgresEventRelay(pg.connect(url));
    await Promise.all([a.ready(), b.ready()]);
    const record = makeGenerationRecord({ status: 'processing', progress: 0 });
    const other = makeGenerationRecord({ status: 'processing', progress: 0 });
    const firstThree = hear(b, record.id, 3);
    const onA = hear(a, record.id, 6);
    const onB = hear(b, record.id, 6);
    const othersOnB: GenerationRecord[] = [];
    b.subscribe((event) => othersOnB.push(event.record));
    // three changes from A, then three from B (the tracking instance changed), and one of another generation
    for (const progress of [0.1, 0.2, 0.3]) a.publish({ ...record, progress });
    a.publish({ ...other, progress: 0.5 });
    expect((await firstThree).map((event) => event.seq)).toEqual([1, 2, 3]);
    for (const progress of [0.4, 0.5]) b.publish({ ...record, progress });
    b.publish({ ...record, status: 'completed', progress: 1 });

    const expected = [0.1, 0.2, 0.3, 0.4, 0.5, 1].map((progress, index) => ({ seq: index + 1, progress }));
    const brief = (events: SequencedGenerationEvent[]) => events.map((event) => ({ seq: event.seq, progress: event.record.progress }));
    expect(brief(await onA)).toEqual(expected);
    expect(brief(await onB)).toEqual(expected);
    // plain subscribers hear the other instances' changes only (B's own reach them through its service)
    expect(othersOnB.filter((r) => r.id === record.id).map((r) => r.progress)).toEqual([0.1, 0.2, 0.3]);

    expect(await a.head(record.id)).toBe(6);
    expect(await b.head(other.id)).toBe(1);
    expect(await b.head('gen_unknown')).toBe(0);
    expect(brief((await b.since(record.id, 4))!)).toEqual(expected.slice(3));
    expect(brief((await a.since(record.id, 0))!)).toEqual(expected);
    expect(await a.since(record.id, 7)).toBeNull(); // never given
    expect(await a.since('gen_unknown', 3)).toBeNull();
    expect(await a.since('gen_unknown', 0)).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('carries a record too large for a NOTIFY by its number, read from the table', async () => {
    const { url, sql } = await pg.freshDatabase();
    const a = createPostgresEventRelay(sql);
    const b = createPostgresEventRelay(pg.connect(url));
    await Promise.all([a.ready(), b.ready()]);
    const record = makeGenerationRecord({ status: 'processing', prompt: 'x'.repeat(20_000) });
    const onB = hear(b, record.id, 1);
    a.publish(record);
    const [event] = await onB;
    expect(event!.seq).toBe(1);
    expect(event!.record.prompt).toHaveLength(20_000);
    await Promise.all([a.close(), b.close()]);
  });

  it('forgets changes after the retention: a replay from a pruned number is refused, not partial', async () => {
    const { url, sql } = await pg.freshDatabase();
    const a = createPostgresEventRelay(sql, { retentionMs: 1000, pruneEveryMs: 200 });
    await a.ready();
    const record = makeGenerationRecord({ status: 'processing' });
    const heard = hear(a, record.id, 2);
    a.publish({ ...record, progress: 0.1 });
    a.publish({ ...record, progress: 0.2 });
    await heard;
    expect((await a.since(record.id, 1))!.map((event) => event.seq)).toEqual([1, 2]);
    // age the first change past the retention; the next prune removes it
    await sql`UPDATE generation_events SET created_at = now() - interval '1 hour' WHERE seq = 1`;
    let replay: SequencedGenerationEvent[] | null = [];
    for (let tries = 0; tries < 50 && replay !== null; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      replay = await a.since(record.id, 1);
    }
    expect(replay).toBeNull();
    expect(await a.since(record.id, 0)).toBeNull();
    expect((await a.since(record.id, 2))!.map((event) => event.seq)).toEqual([2]);
    await a.close();
    void url;
  });

  it('delivers a change to another instance quickly (logged: the latency, measured here, is not asserted)', async () => {
    const { url, sql } = await pg.freshDatabase();
    const a = createPostgresEventRelay(sql);
    const b = createPostgresEventRelay(pg.connect(url));
    await Promise.all([a.ready(), b.ready()]);
    const record = makeGenerationRecord({ status: 'processing' });
    const latencies: number[] = [];
    for (let i = 1; i <= 50; i++) {
      const heard = hear(b, record.id, 1);
      const started = performance.now();
      a.publish({ ...record, progress: i / 50 });
      const [event] = await heard;
      latencies.push(performance.now() - started);
      expect(event!.seq).toBe(i);
    }
    latencies.sort((x, y) => x - y);
    console.log(`cross-instance event latency over 50 changes: median ${latencies[25]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
    await Promise.all([a.close(), b.close()]);
  });
});
