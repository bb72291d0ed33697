/**
 * `pnpm bench`: runs every benchmark (or those named on the command line), prints one table and writes
 * bench/results.json with the machine it ran on. Everything runs on this machine, against the simulator.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './stats.js';

type Bench = (log: (line: string) => void) => Promise<BenchRow[]>;

const benches: Record<string, () => Promise<Bench>> = {
  overhead: async () => (await import('./overhead.js')).benchOverhead,
  pool: async () => (await import('./pool.js')).benchPool,
  history: async () => (await import('./history.js')).benchHistory,
  memory: async () => (await import('./memory.js')).benchMemory,
  widget: async () => (await import('./widget.js')).benchWidget,
  verify: async () => (await import('./verify.js')).benchVerify,
  scale: async () => (await import('./scale.js')).benchScale,
  hops: async () => (await import('./hops.js')).benchHops,
};

const requested = process.argv.slice(2).filter((arg) => arg !== '--');
const names = requested.length > 0 ? requested : Object.keys(benches);
const unknown = names.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(benches).join(', ')})`);
  process.exit(2);
}

const log = (line: string) => console.error(`  ${line}`);
// Numbers on a machine others are using say little: the load average before and after is kept with the results
const loadBefore = loadavg()[0]!;
const rows: BenchRow[] = [];
for (const name of names) {
  console.error(`== ${name}`);
  const started = performance.now();
  rows.push(...(await (await benches[name]!())(log)));
  console.error(`   (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const table = rows.map((row) => ({
  bench: row.bench,
  case: row.case,
  metric: row.metric,
  value: `${row.value} ${row.unit}`,
  target: row.target ?? '',
  ok: row.pass === undefined ? '' : row.pass ? 'yes' : 'NO',
}));
console.table(table);

const machine = {
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? 'unknown',
  memory_gib: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  // 1-minute load average when the run started and when it ended; well above 2 (this machine's cores) means other
  // work shared the cores and the absolute rates are not comparable
  load_average: { start: Math.round(loadBefore * 10) / 10, end: Math.round(loadavg()[0]! * 10) / 10 },
};
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
// a run of some benches keeps the rows of the others from the file (`pnpm bench scale` adds to a full run's results)
const previous = await readFile(resultsFile, 'utf8').then((text) => JSON.parse(text) as { rows: BenchRow[] }, () => ({ rows: [] }));
const kept = previous.rows.filter((row) => !names.includes(row.bench));
await writeFile(resultsFile, `${JSON.stringify({ date: new Date().toISOString(), machine, rows: [...kept, ...rows] }, null, 2)}\n`);
console.error(`results written to ${resultsFile}`);
const failed = rows.filter((row) => row.pass === false);
if (failed.length > 0) console.error(`${failed.length} target(s) missed: ${failed.map((r) => `${r.bench}/${r.case}`).join('; ')}`);
