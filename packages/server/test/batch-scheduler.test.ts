import { createDotbase, TERMINAL_STATUSES, type Dotbase, type GenerationRecord } from '@dotbase/core';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { createStorage } from 'unstorage';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBatchScheduler, type BatchScheduler } from '../src/batches/scheduler.js';
import { silentLogger } from '../src/log.js';

const tokens = ['r8_scheduler_test_token'];
const item = (prompt: string) => ({ action: 'create' as const, model_id: 'flux-schnell', prompt });

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ tokens, timing: { startingMs: 10, processingMs: 60, steps: 2 } });
});
afterAll(async () => {
  await simulator?.close();
});

const running: { dotbase: Dotbase; scheduler?: BatchScheduler }[] = [];
afterEach(async () => {
  for (const { dotbase, scheduler } of running.splice(0)) {
    await scheduler?.stop();
    await dotbase.service.stop();
  }
});

async function start(): Promise<Dotbase> {
  const dotbase = createDotbase({ tokens, baseUrl: simulator.url, storage: createStorage(), service: { pollIntervalMs: 20 } });
  await dotbase.service.start();
  running.push({ dotbase });
  return dotbase;
}

async function allOver(dotbase: Dotbase, records: GenerationRecord[], timeoutMs = 15_000): Promise<GenerationRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await Promise.all(records.map((record) => dotbase.store.get(record.id)));
    if (now.every((record) => record && TERMINAL_STATUSES.includes(record.status))) return now as GenerationRecord[];
    if (Date.now() > deadline) throw new Error(`still running: ${now.map((record) => record?.status).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('batch scheduler', () => {
  it('frees the slot of an item whose end it never heard, by checking running items against their generation', async () => {
    const dotbase = await start();
    const records = await dotbase.service.createHeld('alice', [item('one'), item('two'), item('three')], 'batch-sweep');
    // an instance that misses every event (a lost notification from another instance): only the sweep frees slots
    const deaf = { ...dotbase.service, subscribe: () => () => {} };
    const scheduler = createBatchScheduler({ service: deaf, store: dotbase.store, batches: dotbase.batches, perUser: 1, total: 1, logger: silentLogger, pollMs: 20, sweepMs: 50 });
    running.at(-1)!.scheduler = scheduler;
    await scheduler.start();
    await scheduler.add('alice', records.map((record) => record.id));
    expect((await allOver(dotbase, records)).map((record) => record.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('submits an item another scheduler claimed and never submitted (it died) once that claim runs out, exactly once', async () => {
    const dotbase = await start();
    const before = simulator.stats().creates;
    const records = await dotbase.service.createHeld('alice', [item('orphaned'), item('next')], 'batch-dead');
    await dotbase.batches.queueItems('alice', records.map((record) => record.id));
    // the dead scheduler's claim: the first item, for 300 ms, holding the user's only slot
    expect(await dotbase.batches.claimNextItem({ perUser: 1, total: 10 }, Date.now(), 300)).toMatchObject({ id: records[0]!.id });
    const scheduler = createBatchScheduler({ service: dotbase.service, store: dotbase.store, batches: dotbase.batches, perUser: 1, total: 10, logger: silentLogger, pollMs: 20 });
    running.at(-1)!.scheduler = scheduler;
    await scheduler.start();
    const done = await allOver(dotbase, records);
    expect(done.map((record) => record.status)).toEqual(['completed', 'completed']);
    // the orphaned item went first once its claim ran out (the slot was the dead claim's until then)
    expect(done[0]!.started_at!).toBeLessThan(done[1]!.started_at!);
    expect(simulator.stats().creates - before).toBe(2);
    expect(await scheduler.counts()).toEqual({ queued: 0, running: 0 });
  });
});
