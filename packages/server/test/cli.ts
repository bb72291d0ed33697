import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  stderr: () => string;
  /** Resolves with the URL once the server logs that it listens. */
  listening: Promise<string>;
  exited: Promise<number | null>;
}

/**
 * Runs `dotbase serve` as its own process (through tsx, as `pnpm start` does) with exactly the given environment:
 * nothing leaks in from the test runner's.
 */
export function spawnCli(env: Record<string, string>, args: string[] = ['serve']): CliProcess {
  const child = spawn(process.execPath, ['--conditions=@dotbase/source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  let onListening: (url: string) => void = () => {};
  let onFailure: (error: Error) => void = () => {};
  const listening = new Promise<string>((resolve, reject) => {
    onListening = resolve;
    onFailure = reject;
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line.includes('"dotbase is listening"')) onListening((JSON.parse(line) as { url: string }).url);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      onFailure(new Error(`dotbase exited (${code}) before listening: ${stderr}`));
      resolve(code);
    });
  });
  listening.catch(() => undefined);
  return { child, lines, stderr: () => stderr, listening, exited };
}
