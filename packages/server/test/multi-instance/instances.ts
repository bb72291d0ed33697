/**
 * Processes for the multi-instance test: one Replicate simulator, several `dotbase serve` instances (each its own
 * process, as in production), and a client that follows generations over Server-Sent Events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PredictionJson, SimulatorOptions, SimulatorStats } from '@dotbase/simulator';
import { spawnCli, type CliProcess } from '../cli.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SIMULATOR_SCRIPT = fileURLToPath(new URL('./simulator-process.ts', import.meta.url));

/** Stops a child with SIGTERM (SIGKILL after `graceMs`) and waits until it is gone. */
async function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(force);
}

export interface SimulatorProcess {
  /** API base, `http://127.0.0.1:<port>/v1`. */
  url: string;
  pid: number;
  /** The simulator's own counters (creates, 429s answered, predictions by status, per token). */
  stats(): Promise<SimulatorStats>;
  /** Every prediction the token created, read through the simulator's list endpoint (`GET /v1/predictions`, paged). */
  predictions(token: string): Promise<PredictionJson[]>;
  stop(): Promise<void>;
}

export async function startSimulatorProcess(options: SimulatorOptions): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ['--conditions=@dotbase/source', '--import', 'tsx', SIMULATOR_SCRIPT, JSON.stringify(options)], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const info = await new Promise<{ url: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { url: string }));
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it listened`)));
  });
  return {
    url: info.url,
    pid: child.pid!,
    stats: () =>
      new Promise<SimulatorStats>((resolve) => {
        child.once('message', (reply) => resolve(reply as SimulatorStats));
        child.send('stats');
      }),
    async predictions(token) {
      const all: PredictionJson[] = [];
      for (let next: string | null = `${info.url}/predictions`; next; ) {
        const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
        if (response.status !== 200) throw new Error(`simulator list answered ${response.status}: ${await response.text()}`);
        const page = (await response.json()) as { next: string | null; results: PredictionJson[] };
        all.push(...page.results);
        next = page.next;
      }
      return all;
    },
    stop: () => stop(child),
  };
}

/** The public id dotbase gives a Replicate token (`tok_` + 12 hex characters of its SHA-256). */
export function tokenIdOf(secret: string): string {
  return `tok_${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

export interface Instance {
  name: string;
  url: string;
  pid: number;
  cli: CliProcess;
  /** Whether the process is still running. */
  alive(): boolean;
  json<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  /** A crash: SIGKILL, nothing flushed, no claim released. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** `count` instances of `dotbase serve` on the same environment, each with its own (unused) data folder. */
export async function startInstances(count: number, env: Record<string, string>): Promise<Instance[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'dotbase-instance-'));
      const cli = spawnCli({ PORT: '0', DOTBASE_DATA_DIR: dataDir, ...env });
      let url: string;
      try {
        url = await cli.listening;
      } catch (error) {
        await rm(dataDir, { recursive: true, force: true });
        throw error;
      }
      let killed = false;
      const alive = () => !killed && cli.child.exitCode === null && cli.child.signalCode === null;
      return {
        name: `instance ${index + 1}`,
        url,
        pid: cli.child.pid!,
        cli,
        alive,
        async json(method, path, body, headers = {}) {
          const response = await fetch(`${url}${path}`, {
            method,
            ...(body === undefined ? { headers } : { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
          });
          const text = await response.text();
          return { status: response.status, body: text ? JSON.parse(text) : null };
        },
        async kill() {
          if (!alive()) return;
          // dead for the client from this moment on, before the signal lands and its streams break
          killed = true;
          cli.child.kill('SIGKILL');
          await cli.exited;
        },
        async stop() {
          // an instance that died on its own is the failure to explain: show what it said
          if (!killed && !alive()) console.error(`[multi-instance] ${url} exited on its own (${cli.child.exitCode ?? cli.child.signalCode}):\n${cli.stderr().slice(-4000)}\n${cli.lines.slice(-20).join('\n')}`);
          await stop(cli.child);
          await rm(dataDir, { recursive: true, force: true });
        },
      } satisfies Instance;
    }),
  );
}

export interface Followed {
  /** The generation as the last event showed it. */
  record: any;
  /** Every instance whose event stream was read, in order (more than one when an instance died under it). */
  followedOn: string[];
  /** Statuses in the order the events reported them. */
  statuses: string[];
}

const TERMINAL = ['completed', 'failed', 'canceled'];

/**
 * Follows a generation over `GET /api/generations/:id/events` on `instances[0]`, until a terminal status. When that
 * instance dies under the stream (or was dead already), the next live one in `instances` takes over, as a client
 * behind a load balancer would reconnect.
 */
export async function follow(id: string, instances: Instance[], timeoutMs: number): Promise<Followed> {
  const deadline = Date.now() + timeoutMs;
  const followedOn: string[] = [];
  const statuses: string[] = [];
  let reconnects = 0;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const instance = instances.find((candidate) => candidate.alive()) ?? instances[0]!;
    followedOn.push(instance.name);
    let last: any;
    let response: Response;
    try {
      response = await fetch(`${instance.url}/api/generations/${id}/events`, {
        headers: { accept: 'text/event-stream' },
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') break;
      // The connection failed: the instance was killed, or (on a live one, rarely) a keep-alive socket was closed
      // by the server just as the request went out. Reconnect, as EventSource does; a few times at most on a live one.
      if (instance.alive() && ++reconnects > 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (response.status !== 200) throw new Error(`events of ${id} on ${instance.name} answered ${response.status}: ${await response.text()}`);
    let text = '';
    try {
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') break;
      // the instance died under the stream: what it sent before still counts
      if (instance.alive()) throw error;
    }
    for (const block of text.split('\n\n')) {
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (!block.startsWith('event: generation') || !data) continue;
      last = JSON.parse(data.slice('data: '.length));
      statuses.push(last.status);
    }
    if (last && TERMINAL.includes(last.status)) return { record: last, followedOn, statuses };
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
  }
  throw new Error(`generation ${id} did not end within ${timeoutMs} ms (followed on ${followedOn.join(', ')}; statuses ${statuses.join(' → ')})`);
}

/** Runs `fn` over `items` with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!, index);
      }
    }),
  );
  return results;
}
