/**
 * History at scale: list and filter latency for one user with 1k, 10k and 100k stored generations on the embedded
 * fs store. Target: p50 at 100k ≤ 2× p50 at 1k.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS, createGenerationStore, GENERATION_STATUSES, type GenerationRecord } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { round, summarize, timeIt, type BenchRow } from './stats.js';

const SIZES = [1_000, 10_000, 100_000];
const QUERIES = 200;

function record(i: number): GenerationRecord {
  const now = Date.now() - (SIZES.at(-1)! - i) * 1000;
  return {
    id: `gen-${i.toString().padStart(7, '0')}`,
    user_id: 'bench-user',
    action: ACTIONS[i % ACTIONS.length]!,
    model_id: 'flux-schnell',
    prompt: `prompt ${i}`,
    settings: { aspect_ratio: '1:1' },
    input_images: [],
    mask: null,
    status: GENERATION_STATUSES[2 + (i % 3)]!,
    prediction_id: `p${i}`,
    token_id: 'tok_bench',
    output_keys: [`outputs/bench${i}.png`],
    error: null,
    progress: 100,
    created_at: now,
    started_at: now,
    completed_at: now + 1500,
    processing_time_ms: 1500,
  };
}

export async function benchHistory(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const p50ByCase: Record<string, Record<number, number>> = {};
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-bench-history-'));
  try {
    const store = createGenerationStore(fsStorage(dir));
    let inserted = 0;
    for (const size of SIZES) {
      const startInsert = performance.now();
      while (inserted < size) {
        const batch = [];
        for (let j = 0; j < 200 && inserted < size; j++, inserted++) batch.push(store.create(record(inserted)));
        await Promise.all(batch);
      }
      log(`history: ${size} generations stored (${round((performance.now() - startInsert) / 1000, 1)} s)`);
      const cases: Record<string, () => Promise<unknown>> = {
        'page 1': () => store.list('bench-user', { page: 1, limit: 12 }),
        'action filter': () => store.list('bench-user', { page: 1, limit: 12, action: 'upscale' }),
        'action+status filter': () => store.list('bench-user', { page: 1, limit: 12, action: 'edit', status: 'failed' }),
        'page 5': () => store.list('bench-user', { page: 5, limit: 12 }),
      };
      for (const [name, query] of Object.entries(cases)) {
        for (let i = 0; i < 20; i++) await query(); // warm-up
        const samples: number[] = [];
        for (let i = 0; i < QUERIES; i++) samples.push(await timeIt(query));
        const { p50, p99 } = summarize(samples);
        (p50ByCase[name] ??= {})[size] = p50;
        rows.push({ bench: 'history', case: `${name} @ ${size}`, metric: 'p50', value: round(p50, 3), unit: 'ms' });
        rows.push({ bench: 'history', case: `${name} @ ${size}`, metric: 'p99', value: round(p99, 3), unit: 'ms' });
      }
    }
    for (const [name, bySize] of Object.entries(p50ByCase)) {
      const ratio = bySize[100_000]! / bySize[1_000]!;
      rows.push({ bench: 'history', case: `${name}: p50 100k ÷ 1k`, metric: 'ratio', value: round(ratio), unit: '×', target: '≤ 2', pass: ratio <= 2 });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
