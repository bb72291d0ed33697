/**
 * Memory: peak RSS of the dotbase server process with 1,000 generations in flight (submitted, processing at the
 * simulator, then completing with their outputs copied into storage). Simulator in its own process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from './procs.js';
import { round, type BenchRow } from './stats.js';

const IN_FLIGHT = 1_000;
const TOKENS = Array.from({ length: 10 }, (_, i) => `r8_bench_memory_${i}`);

export async function benchMemory(log: (line: string) => void): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dotbase-bench-memory-'));
  const simulator = await startProcess<{ url: string }>('simulator.ts', [
    JSON.stringify({ tokens: TOKENS, timing: { startingMs: 100, processingMs: 20_000 }, outputScale: 0.05, rateLimit: { creates: 1e9, windowMs: 60_000, others: 1e9 } }),
  ]);
  const server = await startProcess<{ url: string }>('server.ts', [], {
    PORT: '0',
    REPLICATE_API_TOKENS: TOKENS.join(','),
    REPLICATE_API_BASE_URL: simulator.info.url,
    DOTBASE_DATA_DIR: dataDir,
    DOTBASE_RATE_LIMIT_PER_MINUTE: '1000000',
    DOTBASE_MAX_ACTIVE_GENERATIONS: '100000',
    BENCH_POLL_MS: '2000',
  });
  try {
    const api = server.info.url;
    const idleRss = await server.rssMiB();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < IN_FLIGHT) {
          const i = next++;
          const response = await fetch(`${api}/api/generations/create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: `memory ${i}` }),
          });
          if (!response.ok) throw new Error(`create ${i} answered ${response.status}: ${await response.text()}`);
        }
      }),
    );
    const submitSeconds = (performance.now() - started) / 1000;
    const rssInFlight = await server.rssMiB();
    log(`memory: ${IN_FLIGHT} submitted in ${round(submitSeconds, 1)} s; RSS idle ${round(idleRss)} MiB, with all in flight ${round(rssInFlight)} MiB`);
    const deadline = Date.now() + 180_000;
    let completed = 0;
    while (Date.now() < deadline) {
      const list = (await (await fetch(`${api}/api/generations/list?limit=1&status=completed`)).json()) as { total: number };
      completed = list.total;
      if (completed >= IN_FLIGHT) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const peak = await server.peakRssMiB();
    log(`memory: ${completed}/${IN_FLIGHT} completed; peak RSS ${round(peak)} MiB`);
    return [
      { bench: 'memory', case: 'server idle (after start)', metric: 'RSS', value: round(idleRss, 1), unit: 'MiB' },
      { bench: 'memory', case: `${IN_FLIGHT} generations in flight`, metric: 'RSS', value: round(rssInFlight, 1), unit: 'MiB' },
      { bench: 'memory', case: `${IN_FLIGHT} in flight → completed`, metric: 'peak RSS', value: round(peak, 1), unit: 'MiB' },
      { bench: 'memory', case: `${IN_FLIGHT} in flight → completed`, metric: 'completed', value: completed, unit: `of ${IN_FLIGHT}`, target: `${IN_FLIGHT}`, pass: completed === IN_FLIGHT },
    ];
  } finally {
    await Promise.all([server.stop(), simulator.stop()]);
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}
