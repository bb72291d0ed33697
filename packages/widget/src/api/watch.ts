import type { ApiClient } from './client.js';
import { ApiError, isAbort } from './errors.js';
import { parseSse } from './sse.js';
import { isTerminal, type Generation } from './types.js';

export interface WatchOptions {
  signal: AbortSignal;
  onUpdate: (generation: Generation, via: 'stream' | 'poll') => void;
  /** The seed polls every 2 s; tests may shorten it. */
  pollIntervalMs?: number;
  /** Consecutive failed polls tolerated before giving up (a server restart should not end the watch). */
  maxPollFailures?: number;
}

/**
 * Follows one generation to a terminal status: live through its SSE stream, and by polling
 * `GET /api/generations/:id` when the stream cannot be opened or ends early. Resolves with the final record.
 */
export async function watchGeneration(client: ApiClient, id: string, options: WatchOptions): Promise<Generation> {
  const streamed = await followStream(client, id, options);
  if (streamed) return streamed;
  return pollUntilDone(client, id, options);
}

async function followStream(client: ApiClient, id: string, options: WatchOptions): Promise<Generation | null> {
  try {
    const body = await client.openEvents(id, options.signal);
    for await (const message of parseSse(body)) {
      if (message.event !== 'generation') continue;
      const generation = JSON.parse(message.data) as Generation;
      options.onUpdate(generation, 'stream');
      if (isTerminal(generation.status)) return generation;
    }
  } catch (error) {
    if (isAbort(error) || options.signal.aborted) throw new ApiError('aborted', 'Stopped watching the generation.');
    if (error instanceof ApiError && error.status === 404) throw error;
  }
  return null;
}

async function pollUntilDone(client: ApiClient, id: string, options: WatchOptions): Promise<Generation> {
  const interval = options.pollIntervalMs ?? 2000;
  const maxFailures = options.maxPollFailures ?? 5;
  let failures = 0;
  for (;;) {
    try {
      const generation = await client.generation(id, options.signal);
      failures = 0;
      options.onUpdate(generation, 'poll');
      if (isTerminal(generation.status)) return generation;
    } catch (error) {
      if (isAbort(error) || options.signal.aborted) throw new ApiError('aborted', 'Stopped watching the generation.');
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) throw error;
      failures += 1;
      if (failures >= maxFailures) throw error;
    }
    await sleep(interval, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ApiError('aborted', 'Stopped watching the generation.'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new ApiError('aborted', 'Stopped watching the generation.'));
      },
      { once: true },
    );
  });
}
