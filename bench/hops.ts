/**
 * What one hop costs on this machine, before any work is done: CPU per HTTP exchange between two processes (a bare
 * node:http server, procs/echo.ts, and a client here) for Node's three HTTP clients — node:http, fetch and undici's
 * request API — with 1 and 50 exchanges in flight, and the event-loop time of one thread-pool job (an async `stat`)
 * against the same call made synchronously. A dotbase generation is six such exchanges and a handful of
 * thread-pool jobs; these are the floor the server's CPU per generation is compared with in docs/performance.md.
 */
import { stat, statSync } from 'node:fs';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { startProcess } from './procs.js';
import { round, type BenchRow } from './stats.js';

const DURATION_MS = 3_000;
const BODY = JSON.stringify({ input: { prompt: 'bench' }, webhook: 'http://127.0.0.1:1/api/webhooks/replicate?generation=x', webhook_events_filter: ['logs', 'completed'] });

type Exchange = (url: string) => Promise<void>;

function clients(inflight: number): Record<string, Exchange> {
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: inflight });
  const undiciAgent = new Agent({ connections: inflight });
  const headers = { 'content-type': 'application/json' };
  return {
    'node:http': (url) =>
      new Promise((resolve, reject) => {
        const outgoing = httpRequest(url, { method: 'POST', agent: httpAgent, headers }, (answer) => {
          answer.resume();
          answer.on('end', resolve);
        });
        outgoing.on('error', reject);
        outgoing.end(BODY);
      }),
    fetch: async (url) => {
      const answer = await fetch(url, { method: 'POST', headers, body: BODY, signal: AbortSignal.timeout(10_000) });
      await answer.json();
    },
    'undici request': async (url) => {
      const answer = await request(url, { dispatcher: undiciAgent, method: 'POST', headers, body: BODY, signal: AbortSignal.timeout(10_000) });
      await answer.body.json();
    },
  };
}

export async function benchHops(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const echo = await startProcess<{ url: string }>('echo.ts');
  try {
    for (const inflight of [1, 50]) {
      for (const [name, exchange] of Object.entries(clients(inflight))) {
        for (let i = 0; i < 200; i++) await exchange(echo.info.url); // warm up: connections, JIT
        const serverBefore = await echo.cpuMs();
        const clientBefore = process.cpuUsage();
        const deadline = performance.now() + DURATION_MS;
        let done = 0;
        await Promise.all(
          Array.from({ length: inflight }, async () => {
            while (performance.now() < deadline) {
              await exchange(echo.info.url);
              done += 1;
            }
          }),
        );
        const client = process.cpuUsage(clientBefore);
        const serverUs = ((await echo.cpuMs()) - serverBefore) * 1000;
        const clientUs = (client.user + client.system) / done;
        log(`hops/${name} @${inflight}: ${Math.round(done / (DURATION_MS / 1000))} exchanges/s; CPU per exchange: client ${round(clientUs, 0)} µs, server ${round(serverUs / done, 0)} µs`);
        rows.push({ bench: 'hops', case: `POST exchange, ${name} client → node:http server, ${inflight} in flight`, metric: 'CPU per exchange client / server', value: round(clientUs, 0), unit: `/ ${round(serverUs / done, 0)} µs` });
      }
    }
    // a thread-pool job (what every async fs call and WebCrypto digest is): event-loop time and process CPU per call
    const file = fileURLToPath(import.meta.url);
    const asyncStat = promisify(stat);
    for (const [name, call] of [['async stat (thread pool)', () => asyncStat(file)], ['sync stat', async () => statSync(file)]] as const) {
      const n = 20_000;
      const loopBefore = performance.eventLoopUtilization();
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < n; i++) await call();
      const loop = performance.eventLoopUtilization(loopBefore);
      const cpu = process.cpuUsage(cpuBefore);
      const loopUs = (loop.active * 1000) / n;
      const cpuUs = (cpu.user + cpu.system) / n;
      log(`hops/${name}: event loop ${round(loopUs, 1)} µs, process CPU ${round(cpuUs, 1)} µs per call`);
      rows.push({ bench: 'hops', case: name, metric: 'event-loop time / process CPU per call', value: round(loopUs, 1), unit: `/ ${round(cpuUs, 1)} µs` });
    }
  } finally {
    await echo.stop();
  }
  return rows;
}
