/**
 * The dotbase server in its own process for benchmarks, configured by its environment; prints its URL as JSON.
 * Over the IPC channel the bench asks for the event-loop delay measured in this process since its last question
 * (`lag`: perf_hooks' histogram, 10 ms resolution, in ms), so each workload gets its own numbers.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '@dotbase/server';
import { silentLogger } from '@dotbase/server';

// BENCH_POLL_MS sets the poll interval (the memory bench, which runs without webhooks); otherwise the product's
// default: with webhooks, polling is only the fallback for predictions that went quiet.
const pollMs = process.env.BENCH_POLL_MS;
const server = await startServer({ env: process.env, logger: silentLogger, service: pollMs ? { pollIntervalMs: Number(pollMs) } : {} });
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
process.on('message', (message) => {
  if (message !== 'lag') return;
  // the histogram counts in ns, and a delay includes the 10 ms resolution it sleeps for
  const ms = (ns: number) => Math.max(0, ns / 1e6 - 10);
  // and the mean wait of a request for the loop, as the admission control measures it (lag-limit.ts)
  const mean = lag.mean / 1e6;
  const meanWait = mean > 0 ? ((lag.stddev / 1e6) ** 2 + ms(lag.mean) ** 2) / (2 * mean) : 0;
  process.send?.({ p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max), meanWait });
  lag.reset();
});
console.log(JSON.stringify({ url: server.url }));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
