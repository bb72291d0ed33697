/**
 * The start-time verification of the embedded store (`verifyRecordsFile`: every key and value of records.lmdb read
 * once and parsed as the store reads them) with 1k, 10k and 100k stored generations, as a server lays them out
 * (under `generations:`). Decides whether it can run at every start: target ≤ 2 s at 100k.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prefixStorage } from 'unstorage';
import { createGenerationStore, type GenerationRecord } from '@dotbase/core';
import { fsStorage, verifyRecordsFile } from '@dotbase/core/node';
import { benchRecord } from './records.js';
import { round, summarize, timeIt, type BenchRow } from './stats.js';

const SIZES = [1_000, 10_000, 100_000];
const RUNS = 5;

function record(i: number): GenerationRecord {
  return benchRecord(i, Date.now() - i * 1000, {
    id: crypto.randomUUID(),
    user_id: `user-${i % 50}`,
    prompt: `a lighthouse on a cliff at dusk, oil painting, number ${i}`,
  });
}

export async function benchVerify(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of SIZES) {
    const dir = await mkdtemp(join(tmpdir(), `dotbase-bench-verify-${size}-`));
    try {
      const storage = fsStorage(dir, { durability: 'os' });
      const store = createGenerationStore(prefixStorage(storage, 'generations'));
      for (let inserted = 0; inserted < size; ) {
        const batch = [];
        for (let j = 0; j < 500 && inserted < size; j++, inserted++) batch.push(store.create(record(inserted)));
        await Promise.all(batch);
      }
      await storage.dispose();
      const file = join(dir, 'records.lmdb');
      const samples: number[] = [];
      let entries = 0;
      for (let run = 0; run < RUNS; run++) {
        samples.push(
          await timeIt(async () => {
            const report = await verifyRecordsFile(file);
            if (report.damaged.length > 0) throw new Error(`bench store reported damage: ${JSON.stringify(report.damaged[0])}`);
            entries = report.entries;
          }),
        );
      }
      const { p50 } = summarize(samples);
      const megabytes = (await stat(file)).size / 1e6;
      log(`verify: ${size} generations, ${entries} entries, ${round(megabytes, 1)} MB: p50 ${round(p50, 1)} ms`);
      rows.push({ bench: 'verify', case: `records.lmdb with ${size} generations (${round(megabytes, 1)} MB)`, metric: 'p50', value: round(p50, 1), unit: 'ms', ...(size === 100_000 ? { target: '≤ 2000', pass: p50 <= 2000 } : {}) });
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    }
  }
  return rows;
}
