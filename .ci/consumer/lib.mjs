// Helpers for the consumer checks: run an installed bin and wait for the line that says it is ready.
import { spawn } from 'node:child_process';

/** Spawns `command`, resolves with the first stdout line `ready` matches (and the child), rejects if it exits first. */
export function startUntil(command, args, { env = {}, ready, timeoutMs = 60_000 }) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} was not ready within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = ready(line);
        if (match) {
          clearTimeout(timer);
          resolve({ child, match });
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready: ${stderr}`));
    });
  });
}

/** Stops a child and waits for it to exit. */
export async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
