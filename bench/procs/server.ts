/** The dotbase server in its own process for benchmarks, configured by its environment; prints its URL as JSON. */
import { startServer } from '@dotbase/server';
import { silentLogger } from '@dotbase/server';

const server = await startServer({ env: process.env, logger: silentLogger, service: { pollIntervalMs: Number(process.env.BENCH_POLL_MS ?? 1000) } });
console.log(JSON.stringify({ url: server.url }));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
