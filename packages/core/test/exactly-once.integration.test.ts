import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator } from '@dotbase/simulator';
import { prefixStorage } from 'unstorage';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore, createDotbase, createGenerationStore, TERMINAL_STATUSES, type GenerationEvent, type Prediction } from '../src/index.js';
import { fsStorage } from '../src/node.js';
import { tempDir, TOKENS } from './helpers.js';

const USER = 'user-x';
const undo: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

/**
 * Two generation services (two trackers, each with its own in-process locks) on one store: what several
 * instances on one database are, in one process. Only the store's conditional update keeps them from both ending
 * a generation.
 */
async function twoServices() {
  const simulator = await startSimulator({ tokens: TOKENS, timing: { startingMs: 10, processingMs: 50 } });
  undo.push(() => simulator.close());
  const temp = await tempDir();
  undo.push(() => temp.remove());
  const storage = fsStorage(temp.dir);
  undo.push(() => storage.dispose());
  const store = createGenerationStore(prefixStorage(storage, 'generations'));
  const blobs = createBlobStore(prefixStorage(storage, 'blobs'));
  // no polling to speak of: the test pushes the predictions itself, all at once
  const make = () => createDotbase({ tokens: TOKENS, baseUrl: simulator.url, storage, store, blobs, service: { pollIntervalMs: 600_000 } });
  const a = make();
  const b = make();
  const events: GenerationEvent[] = [];
  for (const dotbase of [a, b]) {
    dotbase.service.subscribe((event) => events.push(event));
    undo.push(() => dotbase.service.stop());
  }
  const outputFiles = async () => (await readdir(join(temp.dir, 'blobs', 'outputs')).catch(() => [] as string[])).map((name) => `outputs/${name}`).sort();
  return { a, b, store, events, outputFiles };
}

async function finished(dotbase: ReturnType<typeof createDotbase>, predictionId: string, tokenId: string): Promise<Prediction> {
  const secret = dotbase.pool.secretFor(tokenId)!;
  for (;;) {
    const prediction = await dotbase.provider.get(secret, predictionId);
    if (prediction.status === 'succeeded') return prediction;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one generation followed by two services on one store', () => {
  it('ends once however many pushes race on both: one terminal event, outputs stored once, counted once', async () => {
    const { a, b, store, events, outputFiles } = await twoServices();
    await a.service.start();
    const created = await a.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'a fox', settings: { num_outputs: 2 } });
    // b starts after the create: it finds the generation unfinished and follows it too
    await b.service.start();
    const prediction = await finished(a, created.prediction_id!, created.token_id!);
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).service.handlePrediction(prediction)));

    const done = await store.get(created.id);
    expect(done).toMatchObject({ status: 'completed', error: null });
    expect(done!.output_keys).toHaveLength(2);
    const terminal = events.filter((event) => event.id === created.id && TERMINAL_STATUSES.includes(event.status));
    expect(terminal).toHaveLength(1);
    expect(terminal[0]!.record).toEqual(done);
    expect(await outputFiles()).toEqual([...done!.output_keys].sort());
    expect(await store.stats(0)).toEqual([{ action: 'create', status: 'completed', count: 1, avg_processing_time_ms: done!.processing_time_ms }]);
  });

  it('keeps a cancel and a completion racing on two services from both applying', async () => {
    const { a, b, store, events, outputFiles } = await twoServices();
    await a.service.start();
    const created = await a.service.create(USER, { action: 'create', model_id: 'flux-schnell', prompt: 'a hare' });
    await b.service.start();
    const prediction = await finished(a, created.prediction_id!, created.token_id!);
    const [, canceled] = await Promise.all([a.service.handlePrediction(prediction), b.service.cancel(USER, created.id)]);
    const final = await store.get(created.id);
    expect(['completed', 'canceled']).toContain(final!.status);
    expect(canceled?.status).toBe(final!.status);
    expect(events.filter((event) => event.id === created.id && TERMINAL_STATUSES.includes(event.status))).toHaveLength(1);
    // a cancel that won leaves no output behind; a completion that won keeps its outputs
    expect(await outputFiles()).toEqual([...final!.output_keys].sort());
  });
});
