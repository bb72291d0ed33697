/**
 * An external app that hands dotbase a batch and is told by webhook as each image is done.
 *
 *   pnpm --filter @dotbase/example-batch-webhooks start
 *
 * With no DOTBASE_URL it starts a dotbase of its own (offline simulator, temporary data folder, webhooks to
 * 127.0.0.1 allowed). Against a running dotbase: DOTBASE_URL=https://… DOTBASE_API_KEY=… — its
 * DOTBASE_WEBHOOK_ALLOWED_HOSTS must list this machine, or WEBHOOK_URL must be a public https URL forwarded here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, silentLogger } from '@dotbase/server';
import { startReceiver, type GenerationPayload } from './receiver.js';

const prompts = ['a lighthouse at dawn', 'a fox in the snow', 'a paper boat on a pond'];

async function dotbaseToUse() {
  if (process.env.DOTBASE_URL) return { url: process.env.DOTBASE_URL.replace(/\/+$/, ''), close: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), 'dotbase-example-'));
  const server = await startServer({ env: { PORT: '0', DOTBASE_DATA_DIR: dataDir, DOTBASE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, logger: silentLogger });
  console.log(`started dotbase at ${server.url} (${server.mode})`);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const dotbase = await dotbaseToUse();
const headers: Record<string, string> = {
  'content-type': 'application/json',
  ...(process.env.DOTBASE_API_KEY ? { authorization: `Bearer ${process.env.DOTBASE_API_KEY}` } : {}),
};

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${dotbase.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const { key } = await api<{ key: string }>('GET', '/api/webhooks/secret');
const finished = new Map<string, GenerationPayload>();
let allDone: () => void = () => {};
const done = new Promise<void>((resolve) => (allDone = resolve));
const receiver = await startReceiver(key, (generation) => {
  console.log(`webhook (verified): ${generation.id} ${generation.model_id} ${generation.status} ${generation.output_urls[0] ?? generation.error ?? ''}`);
  finished.set(generation.id, generation);
  if (finished.size === prompts.length) allDone();
});

try {
  const batch = await api<{ id: string; items: string[] }>('POST', '/api/batches', {
    items: prompts.map((prompt) => ({ action: 'create', model_id: 'flux-schnell', prompt })),
    webhook: process.env.WEBHOOK_URL ?? receiver.url,
    webhook_events_filter: ['completed'],
  });
  console.log(`batch ${batch.id}: ${batch.items.length} generations`);
  const timeout = setTimeout(() => {
    console.error('no webhooks within 60 s');
    process.exitCode = 1;
    allDone();
  }, 60_000);
  await done;
  clearTimeout(timeout);

  const zip = await fetch(`${dotbase.url}/api/batches/${batch.id}/download`, { headers });
  if (!zip.ok) throw new Error(`download → ${zip.status} ${await zip.text()}`);
  const file = `batch-${batch.id}.zip`;
  await writeFile(file, new Uint8Array(await zip.arrayBuffer()));
  console.log(`saved ${file}`);
} finally {
  await receiver.close();
  await dotbase.close();
}
