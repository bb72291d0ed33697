/** Starts a bench process (a TypeScript file under procs/), reads the JSON line it prints, and measures it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export interface BenchProcess<T> {
  info: T;
  pid: number;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): Promise<number>;
  rssMiB(): Promise<number>;
  /** CPU time (user + system) the process has used so far, in ms (10 ms resolution: clock ticks). */
  cpuMs(): Promise<number>;
  /** Sends `message` over the IPC channel (processes started with `ipc: true`) and resolves with the reply. */
  ask<R>(message: string): Promise<R>;
  stop(): Promise<void>;
}

async function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Children still running: killed when the bench exits, so a bench that fails half-way leaves no process behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** utime + stime from /proc/<pid>/stat, fields 14 and 15, in clock ticks (100 per second on Linux). */
async function procCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces: count fields from after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function startProcess<T>(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  options: { ipc?: boolean } = {},
): Promise<BenchProcess<T>> {
  const file = fileURLToPath(new URL(`./procs/${script}`, import.meta.url));
  // BENCH_CPU_PROF=<dir>: the dotbase server and the simulator write V8 CPU profiles to <dir>/server and
  // <dir>/simulator when they exit (open them in Chrome DevTools)
  const profiled = (script === 'server.ts' || script === 'simulator.ts') && process.env.BENCH_CPU_PROF;
  const profile = profiled ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${script.replace(/\.ts$/, '')}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--conditions=@dotbase/source', '--import', 'tsx', file, ...args], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...process.env, ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const info = await new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  const pid = child.pid!;
  return {
    info,
    pid,
    peakRssMiB: () => procStatus(pid, 'VmHWM'),
    rssMiB: () => procStatus(pid, 'VmRSS'),
    cpuMs: () => procCpuMs(pid),
    ask: <R>(message: string) =>
      new Promise<R>((resolve, reject) => {
        if (!child.send) return reject(new Error(`${script} was started without an IPC channel`));
        child.once('message', (reply) => resolve(reply as R));
        child.send(message);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
