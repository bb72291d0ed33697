/**
 * Token pool efficiency: N tokens, each limited by the simulator to R creates per window; far more demand than
 * N×R. Reports completed creates ÷ capacity (target ≥ 0.95), user-visible failures (target 0) and 429s received,
 * for dotbase's pool (proactive budget, and reactive only), one token, and naive round-robin without cooldowns.
 */
import { createReplicateProvider, createTokenPool, type ImageProvider, type SubmitRequest } from '@dotbase/core';
import { startSimulator } from '@dotbase/simulator';
import { round, type BenchRow } from './stats.js';

const N = 4;
const R = 50;
// Replicate's window is a minute and its Retry-After is in whole seconds; a 10 s window keeps the run short
// without making every 429 cost a whole window.
const WINDOW_MS = 10_000;
const DURATION_MS = 30_000;
// The budget's window is a little longer than the server's: requests leave the pool a few ms before they
// arrive, in a slightly different order, so an exact budget would still meet the odd 429.
const BUDGET_MARGIN_MS = 100;
const WORKERS = 64;
const TOKENS = Array.from({ length: N }, (_, i) => `r8_bench_pool_${i}`);
const REQUEST: SubmitRequest = { route: { kind: 'official', slug: 'black-forest-labs/flux-schnell' }, input: { prompt: 'bench' } };

type Strategy = (provider: ImageProvider) => () => Promise<void>;

const dotbasePool =
  (tokens: string[], budget: boolean): Strategy =>
  (provider) => {
    const pool = createTokenPool({ tokens, maxWaitMs: 60_000, ...(budget ? { budget: { limit: R, windowMs: WINDOW_MS + BUDGET_MARGIN_MS } } : {}) });
    return async () => {
      await pool.run(({ token }) => provider.submit(token, REQUEST));
    };
  };

/** What a hand-rolled client does: next token in turn, on a 429 straight to the next one, give up after 5. */
const naiveRoundRobin: Strategy = (provider) => {
  let next = 0;
  return async () => {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const token = TOKENS[next++ % TOKENS.length]!;
      try {
        await provider.submit(token, REQUEST);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };
};

async function measure(name: string, strategy: Strategy, log: (line: string) => void): Promise<BenchRow[]> {
  // predictions never finish during the run: only the create path is measured, not image rendering
  const simulator = await startSimulator({
    tokens: TOKENS,
    rateLimit: { creates: R, windowMs: WINDOW_MS, others: 100_000 },
    timing: { startingMs: 60_000, processingMs: 60_000 },
  });
  try {
    const submit = strategy(createReplicateProvider({ baseUrl: simulator.url }));
    const deadline = performance.now() + DURATION_MS;
    let completed = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (performance.now() < deadline) {
          try {
            await submit();
            if (performance.now() <= deadline) completed += 1;
          } catch {
            failures += 1;
          }
        }
      }),
    );
    const capacity = N * R * (DURATION_MS / WINDOW_MS);
    const throttled = simulator.stats().rateLimited;
    const efficiency = completed / capacity;
    log(`pool/${name}: ${completed} creates of capacity ${capacity}, ${failures} failures, ${throttled} 429s`);
    const isDotbase = name.startsWith('dotbase');
    return [
      { bench: 'pool', case: name, metric: 'completed ÷ (N×R)', value: round(efficiency, 3), unit: '', ...(isDotbase && name.includes('budget') ? { target: '≥ 0.95', pass: efficiency >= 0.95 } : {}) },
      { bench: 'pool', case: name, metric: 'user-visible failures', value: failures, unit: '', ...(isDotbase ? { target: '0', pass: failures === 0 } : {}) },
      { bench: 'pool', case: name, metric: '429s received', value: throttled, unit: '' },
    ];
  } finally {
    await simulator.close();
  }
}

export async function benchPool(log: (line: string) => void): Promise<BenchRow[]> {
  log(`pool: N=${N} tokens × R=${R} creates/${WINDOW_MS} ms, ${WORKERS} concurrent callers for ${DURATION_MS / 1000} s`);
  return [
    ...(await measure(`dotbase, ${N} tokens, budget`, dotbasePool(TOKENS, true), log)),
    ...(await measure(`dotbase, ${N} tokens, cooldowns only`, dotbasePool(TOKENS, false), log)),
    ...(await measure('dotbase, 1 token (baseline)', dotbasePool(TOKENS.slice(0, 1), true), log)),
    ...(await measure(`naive round-robin, ${N} tokens (baseline)`, naiveRoundRobin, log)),
  ];
}
