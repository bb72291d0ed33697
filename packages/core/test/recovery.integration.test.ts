import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '@dotbase/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { markedWebhookUrl } from '../src/generations/recovery.js';
import { createDotbase, type GenerationRecord } from '../src/index.js';
import { fsStorage } from '../src/node.js';
import { tempDir, TOKENS } from './helpers.js';

const USER = 'user-r';
const FLUX = { kind: 'official', slug: 'black-forest-labs/flux-schnell' } as const;
const undo: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

function pendingRecord(id: string, prompt: string): GenerationRecord {
  return {
    id,
    user_id: USER,
    action: 'create',
    model_id: 'flux-schnell',
    prompt,
    settings: {},
    input_images: [],
    mask: null,
    status: 'pending',
    prediction_id: null,
    token_id: null,
    output_keys: [],
    error: null,
    progress: null,
    created_at: Date.now(),
    started_at: null,
    completed_at: null,
    processing_time_ms: null,
  };
}

/** A webhook receiver on loopback that accepts every delivery (recovery must not depend on it). */
async function webhookSink(): Promise<string> {
  const sink: Server = createServer((_request, response) => response.end('{}'));
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  undo.push(() => new Promise((resolve) => (sink.closeAllConnections(), sink.close(resolve))));
  return `http://127.0.0.1:${(sink.address() as AddressInfo).port}/api/webhooks/replicate`;
}

/**
 * The state a process leaves when it is killed between sending a create and saving its answer: a `pending` record
 * in the data folder, and (optionally) a prediction at Replicate that nothing links to it.
 */
async function crashedState(options: { submitted: boolean; webhookUrl?: string; ageMs?: number }) {
  const simulator = await startSimulator({ tokens: TOKENS, timing: { startingMs: 20, processingMs: 60 } });
  undo.push(() => simulator.close());
  const temp = await tempDir();
  undo.push(() => temp.remove());
  const record = { ...pendingRecord(crypto.randomUUID(), `recovered ${crypto.randomUUID()}`), created_at: Date.now() - (options.ageMs ?? 0) };
  const before = createDotbase({ tokens: TOKENS, baseUrl: simulator.url, storage: fsStorage(temp.dir) });
  await before.store.create(record);
  let predictionId: string | undefined;
  if (options.submitted) {
    const prediction = await before.provider.submit(TOKENS[1]!, {
      route: FLUX,
      input: { prompt: record.prompt },
      ...(options.webhookUrl ? { webhook: markedWebhookUrl(options.webhookUrl, record.id), webhookEventsFilter: ['completed'] } : {}),
    });
    predictionId = prediction.id;
  }
  await before.storage.dispose();
  const restart = async () => {
    const after = createDotbase({
      tokens: TOKENS,
      baseUrl: simulator.url,
      storage: fsStorage(temp.dir),
      service: { pollIntervalMs: 40, ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}) },
    });
    await after.service.start();
    undo.push(async () => {
      await after.service.stop();
      await after.storage.dispose();
    });
    return after;
  };
  return { simulator, record, predictionId, restart };
}

describe('crash recovery never pays for a generation twice', () => {
  it('adopts the prediction its lost submission created, found by the generation id in the webhook URL', async () => {
    const state = await crashedState({ submitted: true, webhookUrl: await webhookSink() });
    const after = await state.restart();
    const done = await after.service.wait(USER, state.record.id, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'completed', prediction_id: state.predictionId });
    expect(state.simulator.stats().creates).toBe(1);
  });

  it('without webhooks, adopts the prediction with its model and prompt created since the record', async () => {
    const state = await crashedState({ submitted: true });
    const after = await state.restart();
    const done = await after.service.wait(USER, state.record.id, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'completed', prediction_id: state.predictionId });
    expect(state.simulator.stats().creates).toBe(1);
  });

  it('submits a generation that never reached Replicate, once', async () => {
    const state = await crashedState({ submitted: false, webhookUrl: await webhookSink() });
    const after = await state.restart();
    const done = await after.service.wait(USER, state.record.id, { timeoutMs: 10_000 });
    expect(done?.status).toBe('completed');
    expect(state.simulator.stats().creates).toBe(1);
  });

  it('fails one interrupted longer ago than a generation may run, without a search or a submission', async () => {
    const state = await crashedState({ submitted: false, ageMs: 2 * 60 * 60 * 1000 });
    const after = await state.restart();
    const done = await after.service.get(USER, state.record.id);
    expect(done).toMatchObject({ status: 'failed', error: expect.stringMatching(/too long ago/) });
    expect(state.simulator.stats().creates).toBe(0);
  });

  it('fails it rather than resubmit when Replicate cannot be asked', async () => {
    const state = await crashedState({ submitted: false });
    state.simulator.setFaults([{ kind: 'server_error', on: 'all', status: 503 }]);
    const after = await state.restart();
    const done = await after.service.get(USER, state.record.id);
    expect(done?.status).toBe('failed');
    expect(done?.error).toMatch(/not resubmitted/);
    state.simulator.setFaults([]);
    expect(state.simulator.stats().creates).toBe(0);
  });
});
