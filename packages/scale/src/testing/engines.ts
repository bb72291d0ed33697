import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Whether an engine the tests need is here. Where it is missing the tests skip with a message, except in CI
 * (`CI=true`), where a missing engine is a broken machine and fails loudly (as with Chromium for the widget).
 */
export function engineAvailable(name: string, paths: readonly string[]): boolean {
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length === 0) return true;
  const message = `[dotbase] [testing] ${name} is not installed (missing ${missing.join(', ')}); install the Debian package to run these tests`;
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(`${message}: skipped`);
  return false;
}

/** A port nobody listens on right now, on loopback (the engines take a port, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` writes a line matching `ready`; rejects with its output if it exits first. */
export function waitForOutput(child: ChildProcess, ready: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`[dotbase] [testing] ${what} exited (${code}) before it was ready:\n${output.slice(-4000)}`));
    };
    const cleanup = () => {
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops a child with SIGTERM (SIGKILL after `graceMs`) and waits for it to be gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export { spawn };
