import { TERMINAL_STATUSES, type GenerationRecord } from '@dotbase/core';
import type { Context } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { presentedJson } from '../generations/present.js';
import { baseUrlFor } from '../http/base-url.js';
import { HttpError } from '../http/errors.js';

const encoder = new TextEncoder();

/**
 * `GET /api/generations/:id/events`: Server-Sent Events, each `event: generation` carrying the same JSON as
 * `GET /api/generations/:id`. The current state goes out at once, then one message per change, and the stream
 * ends after a terminal status. A comment line every `heartbeatMs` keeps proxies from closing an idle stream.
 * It is a plain GET, so it works with a Bearer header (fetch) and with the session cookie (EventSource).
 */
export async function generationEvents(ctx: ServerContext, c: Context<AppEnv>, id: string): Promise<Response> {
  const { service } = ctx.dotbase;
  const userId = c.get('owner');
  const base = baseUrlFor(ctx, c);

  // Subscribe before reading, so a change between the two cannot be missed; keep only the newest one.
  let latest: GenerationRecord | undefined;
  let deliver = (record: GenerationRecord) => {
    latest = record;
  };
  const unsubscribe = service.subscribe((event) => {
    if (event.id === id && event.user_id === userId) deliver(event.record);
  });
  let current: GenerationRecord | null;
  try {
    current = await service.get(userId, id);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (!current) {
    unsubscribe();
    throw new HttpError(404, 'not_found', `no generation ${id}`);
  }
  const max = ctx.limits.maxStreamsPerUser;
  let taken: (() => void) | null;
  try {
    taken = await ctx.streams.tryTake(userId, max);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  const release = taken;
  if (!release) {
    unsubscribe();
    throw new HttpError(429, 'too_many_streams', `at most ${max} event streams may be open at once per user; close one first`, { retryAfterSeconds: 5 });
  }
  // An event already queued is at least as new as what the store showed: its write may have come first, but its
  // event was emitted after the write, and a newer write's event will still arrive and be sent.
  const first = latest ?? current;

  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let finished = false;
  let end = () => {};
  const stop = () => {
    if (finished) return;
    finished = true;
    release();
    unsubscribe();
    clearInterval(heartbeat);
    c.req.raw.signal.removeEventListener('abort', stop);
    ctx.shutdown?.removeEventListener('abort', end);
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let lastSent = '';
      const send = (record: GenerationRecord) => {
        if (finished) return;
        const json = presentedJson(record, base);
        if (json === lastSent) return;
        lastSent = json;
        controller.enqueue(encoder.encode(`event: generation\ndata: ${json}\n\n`));
        if (TERMINAL_STATUSES.includes(record.status)) {
          stop();
          controller.close();
        }
      };
      deliver = send;
      heartbeat = setInterval(() => {
        if (!finished) controller.enqueue(encoder.encode(': heartbeat\n\n'));
      }, ctx.heartbeatMs);
      c.req.raw.signal.addEventListener('abort', stop);
      // On shutdown the stream ends cleanly, so clients reconnect to the next instance instead of hanging.
      end = () => {
        if (finished) return;
        stop();
        controller.close();
      };
      ctx.shutdown?.addEventListener('abort', end);
      send(first);
    },
    cancel: stop,
  });

  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back
      'X-Accel-Buffering': 'no',
    },
  });
}
