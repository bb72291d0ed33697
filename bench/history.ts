/**
 * History at scale: list and filter latency for one user with 1k, 10k and 100k stored generations on the embedded
 * fs store. Target: p50 at 100k ≤ 2× p50 at 1k.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerationStore, type GenerationRecord, type GenerationStore } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { benchRecord } from './records.js';
import { round, summarize, timeIt, type BenchRow } from './stats.js';

const SIZES = [1_000, 10_000, 100_000];
const QUERIES = 200;

function record(i: number, size: number): GenerationRecord {
  return benchRecord(i, Date.now() - (size - i) * 1000);
}

async function fill(store: GenerationStore, size: number): Promise<void> {
  for (let inserted = 0; inserted < size; ) {
    const batch = [];
    for (let j = 0; j < 200 && inserted < size; j++, inserted++) batch.push(store.create(record(inserted, size)));
    await Promise.all(batch);
  }
}

function queries(store: GenerationStore): Record<string, () => Promise<unknown>> {
  return {
    'page 1': () => store.list('bench-user', { page: 1, limit: 12 }),
    'action filter': () => store.list('bench-user', { page: 1, limit: 12, action: 'upscale' }),
    'action+status filter': () => store.list('bench-user', { page: 1, limit: 12, action: 'edit', status: 'failed' }),
    'page 5': () => store.list('bench-user', { page: 5, limit: 12 }),
  };
}

export async function benchHistory(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dirs: string[] = [];
  const storages: Array<{ dispose(): Promise<void> }> = [];
  try {
    // one store per size, so the sizes can be measured interleaved: machine noise then hits all of them alike
    const stores = new Map<number, GenerationStore>();
    for (const size of SIZES) {
      const dir = await mkdtemp(join(tmpdir(), `dotbase-bench-history-${size}-`));
      dirs.push(dir);
      const storage = fsStorage(dir);
      storages.push(storage);
      const store = createGenerationStore(storage);
      const started = performance.now();
      await fill(store, size);
      log(`history: ${size} generations stored (${round((performance.now() - started) / 1000, 1)} s)`);
      stores.set(size, store);
    }
    const samples = new Map<string, number[]>();
    const caseNames = Object.keys(queries(stores.get(SIZES[0]!)!));
    for (let round = -20; round < QUERIES; round++) {
      for (const size of SIZES) {
        const byName = queries(stores.get(size)!);
        for (const name of caseNames) {
          const elapsed = await timeIt(byName[name]!);
          if (round >= 0) (samples.get(`${name}@${size}`) ?? samples.set(`${name}@${size}`, []).get(`${name}@${size}`)!).push(elapsed);
        }
      }
    }
    for (const name of caseNames) {
      const p50s = new Map<number, number>();
      for (const size of SIZES) {
        const { p50, p99 } = summarize(samples.get(`${name}@${size}`)!);
        p50s.set(size, p50);
        rows.push({ bench: 'history', case: `${name} @ ${size}`, metric: 'p50 / p99', value: round(p50, 3), unit: `/ ${round(p99, 3)} ms` });
      }
      const ratio = p50s.get(100_000)! / p50s.get(1_000)!;
      rows.push({ bench: 'history', case: `${name}: p50 100k ÷ 1k`, metric: 'ratio', value: round(ratio), unit: '×', target: '≤ 2', pass: ratio <= 2 });
    }
  } finally {
    await Promise.all(storages.map((storage) => storage.dispose()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5 })));
  }
  return rows;
}
