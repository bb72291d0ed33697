/**
 * `pnpm bench scale`: dotbase as 1, 2 and 3 instances on PostgreSQL + Redis + S3-compatible storage (a private
 * PostgreSQL cluster and Redis from the Debian packages, s3rver in its own process), against the embedded store
 * (one instance, LMDB and local files), all against one simulator process. The load generator (this process)
 * keeps one caller busy (latency), then CONCURRENCY callers (throughput, CPU): each creates a generation on
 * instance i mod N and follows it over SSE until `completed` on the next instance (i + 1) mod N, so with two or more
 * instances every completion crosses instances (PostgreSQL LISTEN/NOTIFY). Completion is pushed by the simulator's webhook to the instance that
 * created the generation (its DOTBASE_PUBLIC_URL).
 *
 * Per configuration: completions/s at CONCURRENCY, create → completed p50/p99 with one caller and what dotbase adds
 * to the same call sent straight to the simulator (SDK, `Prefer: wait`), and CPU per generation from /proc: every server instance together,
 * PostgreSQL (postmaster and backends), Redis, s3rver, the simulator and the load generator.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Replicate from 'replicate';
import { postgresAvailable, redisAvailable, startPostgresCluster, startRedisServer } from '@dotbase/scale/testing';
import { findProcess, treeCpuMs } from './engine-cpu.js';
import { freePort, load, postJson, untilTerminal } from './load.js';
import { startProcess, type BenchProcess } from './procs.js';
import { round, type BenchRow } from './stats.js';

// Throughput: this many callers at once, enough to keep every configuration busy; latency: one caller, so the
// numbers are what dotbase adds to one generation, not the queueing of a saturated machine.
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 32);
const DURATION_MS = Number(process.env.BENCH_SCALE_SECONDS ?? 8) * 1000;
const LATENCY_DURATION_MS = Number(process.env.BENCH_SCALE_LATENCY_SECONDS ?? 5) * 1000;
const IDLE_MS = 4000;
const MODEL = 'black-forest-labs/flux-schnell';
const SECRET = randomBytes(32).toString('base64url');

interface Engines {
  databaseUrl: () => Promise<string>;
  redisUrl: string;
  s3: BenchProcess<{ endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string }>;
  postgresCpuMs: () => Promise<number>;
  redisCpuMs: () => Promise<number>;
  stop: () => Promise<void>;
}

async function startEngines(): Promise<Engines> {
  const [cluster, redis, s3] = await Promise.all([startPostgresCluster(), startRedisServer(), startProcess<Engines['s3']['info']>('s3.ts')]);
  const postmaster = await findProcess((line) => line.includes('postgres -D') && line.includes(` -p ${cluster.port} `));
  const redisPid = await findProcess((line) => line.includes('redis-server') && line.includes(`:${redis.port}`));
  if (!postmaster || !redisPid) throw new Error('could not find the PostgreSQL or Redis process in /proc');
  return {
    databaseUrl: () => cluster.createDatabase(),
    redisUrl: redis.url,
    s3,
    postgresCpuMs: () => treeCpuMs(postmaster),
    redisCpuMs: () => treeCpuMs(redisPid),
    stop: async () => {
      await Promise.all([cluster.stop(), redis.stop(), s3.stop()]);
    },
  };
}

interface Configuration {
  name: string;
  instances: number;
  /** PostgreSQL + Redis + S3; else the embedded default. */
  shared: boolean;
}

const CONFIGURATIONS: Configuration[] = [
  { name: 'embedded ×1', instances: 1, shared: false },
  { name: 'PostgreSQL+Redis+S3 ×1', instances: 1, shared: true },
  { name: 'PostgreSQL+Redis+S3 ×2', instances: 2, shared: true },
  { name: 'PostgreSQL+Redis+S3 ×3', instances: 3, shared: true },
];

async function startInstances(configuration: Configuration, simulatorUrl: string, engines: Engines | undefined) {
  // tokens of their own per configuration, so no pool state (Redis keys, PostgreSQL rows) carries over
  const tokens = Array.from({ length: 10 }, (_, i) => `r8_bench_scale_${configuration.instances}_${configuration.shared ? 's' : 'e'}_${i}`);
  const shared: Record<string, string> = engines
    ? {
        DATABASE_URL: await engines.databaseUrl(),
        // a Redis database of its own per configuration, so no token-pool state carries over between them
        REDIS_URL: `${engines.redisUrl}/${configuration.instances}`,
        DOTBASE_S3_BUCKET: engines.s3.info.bucket,
        DOTBASE_S3_ENDPOINT: engines.s3.info.endpoint,
        DOTBASE_S3_PREFIX: `bench-${configuration.instances}`,
        AWS_ACCESS_KEY_ID: engines.s3.info.accessKeyId,
        AWS_SECRET_ACCESS_KEY: engines.s3.info.secretAccessKey,
        AWS_REGION: engines.s3.info.region,
      }
    : {};
  const dataDirs: string[] = [];
  // one at a time: instances migrating the same fresh database at once is the test suite's business, not the bench's
  const servers: BenchProcess<{ url: string }>[] = [];
  for (let index = 0; index < configuration.instances; index++) {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'dotbase-bench-scale-'));
    dataDirs.push(dataDir);
    servers.push(
      await startProcess<{ url: string }>('server.ts', [], {
        ...shared,
        PORT: String(port),
        DOTBASE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        DOTBASE_DATA_DIR: dataDir,
        DOTBASE_SECRET: SECRET,
        REPLICATE_API_TOKENS: tokens.join(','),
        REPLICATE_API_BASE_URL: simulatorUrl,
        // the pool's budget is not what is measured: far above what this machine can create
        REPLICATE_TOKEN_BUDGET: '1000000',
        DOTBASE_RATE_LIMIT_PER_MINUTE: '1000000',
        DOTBASE_MAX_ACTIVE_GENERATIONS: '100000',
        DOTBASE_MAX_STREAMS_PER_USER: '100000',
      }),
    );
  }
  return {
    servers,
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Until no generation is pending or processing, so CPU that work still costs is counted with it. */
async function settle(api: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const totals = await Promise.all(
      ['pending', 'processing'].map(async (status) => ((await (await fetch(`${api}/api/generations/list?status=${status}&limit=1`)).json()) as { total: number }).total),
    );
    if (totals.every((total) => total === 0)) return;
    if (performance.now() > deadline) throw new Error('generations did not settle within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchScale(log: (line: string) => void): Promise<BenchRow[]> {
  if (!postgresAvailable() || !redisAvailable()) {
    log('scale: skipped (PostgreSQL or Redis is not installed: apt-get install postgresql redis-server)');
    return [];
  }
  const rows: BenchRow[] = [];
  // any token is accepted; creates are not limited (the budget and 429s are the multi-instance test's business)
  const simulator = await startProcess<{ url: string }>('simulator.ts', [
    JSON.stringify({ timing: { startingMs: 20, processingMs: 100, steps: 2 }, outputScale: 0.05, rateLimit: { creates: 1e9, windowMs: 60_000, others: 1e9 } }),
  ]);
  const engines = await startEngines();
  try {
    // the same call straight to the simulator, for what dotbase adds
    const replicate = new Replicate({ auth: 'r8_bench_scale_direct', baseUrl: simulator.info.url, useFileOutput: false });
    const directOp = async () => {
      const prediction = await replicate.predictions.create({ model: MODEL, input: { prompt: 'bench' }, wait: 60 });
      if (prediction.status !== 'succeeded') throw new Error(`prediction ${prediction.status}`);
    };
    const direct = await load(1, LATENCY_DURATION_MS, directOp);
    const directLoaded = await load(CONCURRENCY, DURATION_MS, directOp);
    log(`scale/direct: @1 p50 ${round(direct.p50)} / p99 ${round(direct.p99)} ms; @${CONCURRENCY} ${round(directLoaded.perSecond, 1)}/s, ${direct.errors + directLoaded.errors} errors`);
    rows.push(
      { bench: 'scale', case: 'direct to the simulator @ 1', metric: 'create → succeeded p50 / p99', value: round(direct.p50), unit: `/ ${round(direct.p99)} ms` },
      { bench: 'scale', case: `direct to the simulator @ ${CONCURRENCY}`, metric: 'predictions per s', value: round(directLoaded.perSecond, 1), unit: '/s' },
    );

    for (const configuration of CONFIGURATIONS) {
      const shared = configuration.shared ? engines : undefined;
      const { servers, stop } = await startInstances(configuration, simulator.info.url, shared);
      try {
        const urls = servers.map((server) => server.info.url);
        const cpu = async () => ({
          servers: (await Promise.all(servers.map((server) => server.cpuMs()))).reduce((sum, ms) => sum + ms, 0),
          simulator: await simulator.cpuMs(),
          postgres: shared ? await shared.postgresCpuMs() : 0,
          redis: shared ? await shared.redisCpuMs() : 0,
          s3: shared ? await shared.s3.cpuMs() : 0,
        });
        const generation = async (i: number) => {
          const accepting = urls[i % urls.length]!;
          const following = urls[(i + 1) % urls.length]!;
          const answer = await postJson(`${accepting}/api/generations/create`, { action: 'create', model_id: 'flux-schnell', prompt: 'bench' });
          if (answer.status !== 201) throw new Error(`create answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 200)}`);
          const { id } = answer.json as { id: string };
          const status = await untilTerminal(`${following}/api/generations/${id}/events`);
          if (status !== 'completed') throw new Error(`generation ${status}`);
        };
        const latency = await load(1, LATENCY_DURATION_MS, generation);
        await settle(urls[0]!);
        // what the instances cost doing nothing (claim heartbeats, takeover scans, the token-table mirror, their
        // PostgreSQL and Redis connections): shared by however many generations a deployment runs
        const idleBefore = await cpu();
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
        const idleAfter = await cpu();
        const idlePerSecond = (key: keyof typeof idleBefore) => ((idleAfter[key] - idleBefore[key]) * 1000) / IDLE_MS;
        const before = await cpu();
        const loadStarted = performance.now();
        const clientBefore = process.cpuUsage();
        const result = await load(CONCURRENCY, DURATION_MS, generation);
        const clientUsage = process.cpuUsage(clientBefore);
        await settle(urls[0]!);
        const after = await cpu();
        const measuredSeconds = (performance.now() - loadStarted) / 1000;
        const n = result.n;
        const per = (key: keyof typeof before) => (n > 0 ? (after[key] - before[key]) / n : Number.NaN);
        const client = n > 0 ? (clientUsage.user + clientUsage.system) / 1000 / n : Number.NaN;
        // the same, less what the servers would have spent idle over that time
        const netServers = n > 0 ? (after.servers - before.servers - idlePerSecond('servers') * measuredSeconds) / n : Number.NaN;
        const errors = latency.errors + result.errors;
        const reasons = [latency.reasons, result.reasons].filter(Boolean).join('; ');
        log(
          `scale/${configuration.name}: @1 p50 ${round(latency.p50)} / p99 ${round(latency.p99)} ms; @${CONCURRENCY} ${round(result.perSecond, 1)} completions/s ` +
            `(p50 ${round(result.p50)} / p99 ${round(result.p99)} ms); ${errors} errors${errors ? ` (${reasons})` : ''}; ` +
             `servers idle ${round(idlePerSecond('servers'))} ms/s; CPU ms per generation: servers ${round(per('servers'))} (${round(netServers)} net of idle), PostgreSQL ${round(per('postgres'))}, Redis ${round(per('redis'))}, S3 ${round(per('s3'))}, simulator ${round(per('simulator'))}, load generator ${round(client)}`,
        );
        const c = configuration.name;
        rows.push(
          { bench: 'scale', case: c, metric: `completions per s @ ${CONCURRENCY}`, value: round(result.perSecond, 1), unit: '/s' },
          { bench: 'scale', case: c, metric: 'create → completed p50 / p99 @ 1', value: round(latency.p50), unit: `/ ${round(latency.p99)} ms` },
          { bench: 'scale', case: c, metric: 'added over direct p50 / p99 @ 1', value: round(latency.p50 - direct.p50), unit: `/ ${round(latency.p99 - direct.p99)} ms` },
          { bench: 'scale', case: c, metric: `create → completed p50 / p99 @ ${CONCURRENCY}`, value: round(result.p50), unit: `/ ${round(result.p99)} ms` },
          { bench: 'scale', case: c, metric: 'errors', value: errors, unit: '' },
          { bench: 'scale', case: c, metric: `server CPU per generation (all instances) @ ${CONCURRENCY}`, value: round(per('servers')), unit: 'ms' },
          { bench: 'scale', case: c, metric: `server CPU per generation net of idle @ ${CONCURRENCY}`, value: round(netServers), unit: 'ms' },
          { bench: 'scale', case: c, metric: 'servers idle (all instances)', value: round(idlePerSecond('servers')), unit: 'CPU ms/s' },
          ...(shared
            ? [{ bench: 'scale', case: c, metric: `PostgreSQL / Redis / S3 CPU per generation @ ${CONCURRENCY}`, value: round(per('postgres')), unit: `/ ${round(per('redis'))} / ${round(per('s3'))} ms` }]
            : []),
          { bench: 'scale', case: c, metric: `simulator / load generator CPU per generation @ ${CONCURRENCY}`, value: round(per('simulator')), unit: `/ ${round(client)} ms` },
        );
      } finally {
        await stop();
      }
    }
  } finally {
    await engines.stop();
    await simulator.stop();
  }
  return rows;
}
