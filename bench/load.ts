/**
 * What the benches' load generators share: a free loopback port, a closed-loop load of `concurrency` callers, and
 * following a generation's event stream to its end.
 */
import { createServer } from 'node:net';
import { Agent, request } from 'undici';
import { summarize } from './stats.js';

/**
 * The load generator's requests to dotbase go out with undici's request API over kept-alive connections: Node's
 * fetch costs it ~0.7–1 ms of CPU per small exchange on this machine, which the load generator takes from the same
 * two cores as the server it measures. (The direct path keeps the `replicate` SDK, as the benches define it.)
 */
const agent = new Agent({ connections: 1024 });

/** POSTs JSON; resolves with the status, headers and parsed answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const answer = await request(url, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: answer.statusCode, headers: answer.headers, json: (await answer.body.json()) as unknown };
}

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
  const answer = await request(url, { dispatcher: agent });
  if (answer.statusCode !== 200) {
    await answer.body.dump();
    throw new Error(`events answered ${answer.statusCode}`);
  }
  answer.body.setEncoding('utf8');
  let buffer = '';
  let status: string | undefined;
  // the server ends the stream after a terminal status: reading it to its end keeps the connection for the next
  // request (a stream given up early makes undici drop it, and each generation would cost a new connection)
  for await (const chunk of answer.body) {
    if (status) continue;
    buffer += chunk as string;
    status = /"status":"(completed|failed|canceled)"/.exec(buffer)?.[1];
  }
  if (!status) throw new Error('stream ended before a terminal status');
  return status;
}
