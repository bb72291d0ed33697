/**
 * Generates one image with @dotbase/core against the offline Replicate simulator and saves it to a file.
 * Run: `pnpm --filter @dotbase/example-core-node start -- "a lighthouse at dawn" out.png`
 * With real tokens, drop the simulator and pass `tokens: process.env.REPLICATE_API_TOKENS.split(',')`.
 */
import { writeFile } from 'node:fs/promises';
import { createDotbase } from '@dotbase/core';
import { startSimulator } from '@dotbase/simulator';

const prompt = process.argv[2] ?? 'a lighthouse at dawn, watercolor';
const outFile = process.argv[3] ?? 'generated.png';

const simulator = await startSimulator({ tokens: ['sim-token-1', 'sim-token-2'], timing: { startingMs: 100, processingMs: 400 } });
const dotbase = createDotbase({ tokens: ['sim-token-1', 'sim-token-2'], baseUrl: simulator.url, service: { pollIntervalMs: 100 } });
await dotbase.service.start();

try {
  const created = await dotbase.service.create('example-user', {
    action: 'create',
    model_id: 'flux-schnell',
    prompt,
    settings: { aspect_ratio: '16:9', output_format: 'png' },
  });
  const done = await dotbase.service.wait('example-user', created.id, { timeoutMs: 30_000 });
  if (done?.status !== 'completed') throw new Error(`generation ${done?.status}: ${done?.error}`);
  const image = await dotbase.blobs.get(done.output_keys[0]!);
  await writeFile(outFile, image!.bytes);
  console.log(`saved ${outFile} (${image!.contentType}, ${image!.bytes.byteLength} bytes) in ${done.processing_time_ms} ms`);
} finally {
  await dotbase.service.stop();
  await simulator.close();
}
