// (a) @dotbase/core creates a generation against the simulator started from @dotbase/simulator's own bin.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDotbase } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { assert, startUntil, stop } from './lib.mjs';

const { child: simulator, match: baseUrl } = await startUntil(
  'node_modules/.bin/dotbase-simulator',
  ['--port', '0', '--tokens', 'r8_consumer', '--processing-ms', '200'],
  { ready: (line) => line.match(/listening: (http:\/\/\S+)/)?.[1] },
);
const dir = await mkdtemp(join(tmpdir(), 'dotbase-consumer-core-'));
const storage = fsStorage(dir);
try {
  const dotbase = createDotbase({ tokens: ['r8_consumer'], baseUrl, storage, service: { pollIntervalMs: 50 } });
  await dotbase.service.start();
  const { id } = await dotbase.service.create('user-1', { action: 'create', model_id: 'flux-schnell', prompt: 'a lighthouse' });
  const done = await dotbase.service.wait('user-1', id, { timeoutMs: 30_000 });
  assert(done?.status === 'completed', `generation ended as ${done?.status}: ${JSON.stringify(done?.error ?? null)}`);
  assert(done.output_keys.length > 0, 'no output stored');
  const blob = await dotbase.blobs.get(done.output_keys[0]);
  assert(blob && blob.bytes.byteLength > 100, 'the stored output is empty');
  await dotbase.service.stop();
  console.log(`generation ${id} completed with ${done.output_keys.length} output(s), ${blob.bytes.byteLength} bytes, ${blob.contentType}`);
} finally {
  await storage.dispose();
  await stop(simulator);
  await rm(dir, { recursive: true, force: true });
}
