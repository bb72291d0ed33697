/**
 * What the benches' load generators share: a free loopback port, a closed-loop load of `concurrency` callers, and
 * following a generation's event stream to its end.
 */
import { createServer } from 'node:net';
import { summarize } from './stats.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A request the server shed (503 with Retry-After): the caller waits as told and tries again; not an error. */
export class Shed extends Error {
  constructor(readonly retryAfterMs: number) {
    super('shed');
  }
}

/**
 * Runs `op` from `concurrency` workers for `durationMs`; returns latencies (ms) of the operations that were done and
 * operations per second. A shed operation is counted, waited out as its Retry-After says (as a well-behaved client
 * does), and not part of the latencies: those are of the work the server accepted.
 */
export async function load(concurrency: number, durationMs: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  let shed = 0;
  const reasons = new Map<string, number>();
  const started = performance.now();
  const deadline = started + durationMs;
  let counter = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await op(counter++);
          latencies.push(performance.now() - t0);
        } catch (error) {
          if (error instanceof Shed) {
            shed += 1;
            await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs, Math.max(0, deadline - performance.now()))));
            continue;
          }
          errors += 1;
          const reason = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarize(latencies), perSecond: latencies.length / seconds, errors, shed, reasons: [...reasons].map(([reason, n]) => `${n}× ${reason}`).join('; ') };
}

/** Reads an SSE stream until a terminal status; resolves with it. */
export async function untilTerminal(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`events answered ${response.status}`);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended before a terminal status');
    buffer += value;
    const match = /"status":"(completed|failed|canceled)"/.exec(buffer);
    if (match) {
      // the server ends the stream after a terminal status: reading to its end keeps the connection for the next
      // request (cancelling would make undici drop it, and each generation would cost a new connection)
      while (!(await reader.read()).done);
      return match[1]!;
    }
  }
}
