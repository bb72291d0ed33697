import { TERMINAL_STATUSES, type GenerationRecord } from '@dotbase/core';
import type { Context } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { presentedJson } from '../generations/present.js';
import { baseUrlFor } from '../http/base-url.js';
import { HttpError } from '../http/errors.js';
import type { SequencedGenerationEvent } from '../generations/event-log.js';

const encoder = new TextEncoder();

/** A `Last-Event-ID` this server gave (a change's number), or undefined for anything else: a fresh start. */
function lastEventIdOf(header: string | undefined): number | undefined {
  return header !== undefined && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : undefined;
}

/**
 * `GET /api/generations/:id/events`: Server-Sent Events, each `event: generation` carrying the same JSON as
 * `GET /api/generations/:id`. The current state goes out at once, then one message per change, and the stream
 * ends after a terminal status. A comment line every `heartbeatMs` keeps proxies from closing an idle stream.
 * It is a plain GET, so it works with a Bearer header (fetch) and with the session cookie (EventSource).
 *
 * Each message has an `id:`, the number of the change it shows in that generation's history (`ctx.events`: with
 * `DATABASE_URL` numbered in PostgreSQL, so it means the same on every instance). A client that reconnects with
 * `Last-Event-ID` (EventSource does it by itself) gets exactly the changes it missed, to any instance; when the log
 * no longer holds them, the current state, as on a first connection.
 */
export async function generationEvents(ctx: ServerContext, c: Context<AppEnv>, id: string): Promise<Response> {
  const { service } = ctx.dotbase;
  const userId = c.get('owner');
  const base = baseUrlFor(ctx, c);
  const lastEventId = lastEventIdOf(c.req.header('last-event-id'));

  // Subscribe before reading, so a change between the two cannot be missed: changes wait here until the stream starts.
  const waiting: SequencedGenerationEvent[] = [];
  let deliver: (event: SequencedGenerationEvent) => void = (event) => void waiting.push(event);
  const unsubscribe = ctx.events.subscribeSequenced((event) => {
    if (event.record.id === id && event.record.user_id === userId) deliver(event);
  });
  let current: GenerationRecord | null;
  let head: number;
  let missed: SequencedGenerationEvent[] | null = null;
  try {
    // the head before the record: the stored record is at least as new as the change numbered `head`
    head = await ctx.events.head(id);
    current = await service.get(userId, id);
    if (current && lastEventId !== undefined) missed = await ctx.events.since(id, lastEventId);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (!current) {
    unsubscribe();
    throw new HttpError(404, 'not_found', `no generation ${id}`);
  }
  const stored = current;
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
      // the number of the newest change the client has: what it sends back as Last-Event-ID when it reconnects
      let lastSeq = 0;
      const close = () => {
        if (finished) return;
        stop();
        controller.close();
      };
      const send = (record: GenerationRecord, seq: number) => {
        if (finished || seq < lastSeq) return;
        lastSeq = seq;
        const json = presentedJson(record, base);
        if (json === lastSent) return;
        lastSent = json;
        controller.enqueue(encoder.encode(`event: generation\nid: ${seq}\ndata: ${json}\n\n`));
        if (TERMINAL_STATUSES.includes(record.status)) close();
      };
      const sendNewer = (event: SequencedGenerationEvent) => {
        if (event.seq > lastSeq) send(event.record, event.seq);
      };
      heartbeat = setInterval(() => {
        if (!finished) controller.enqueue(encoder.encode(': heartbeat\n\n'));
      }, ctx.heartbeatMs);
      c.req.raw.signal.addEventListener('abort', stop);
      // On shutdown the stream ends cleanly, so clients reconnect to the next instance instead of hanging.
      end = close;
      ctx.shutdown?.addEventListener('abort', end);

      if (missed && lastEventId !== undefined) {
        // A reconnect: exactly the changes after the one the client has (the log still holds them all).
        lastSeq = lastEventId;
        const had = missed.find((event) => event.seq === lastEventId);
        if (had) {
          lastSent = presentedJson(had.record, base);
          if (TERMINAL_STATUSES.includes(had.record.status)) return close();
        }
        for (const event of missed) sendNewer(event);
      } else {
        // A first connection (or a Last-Event-ID the log no longer holds): the current state, then what follows.
        // The stored record is at least as new as change `head`, and every later change arrives here (each is
        // logged after its write). When some already wait, they go out instead, in order: the last of them, or one
        // still coming, is at least as new as the stored record. Else the stored record stands for change `head`.
        if (!waiting.some((event) => event.seq > head)) send(stored, head);
        else lastSeq = head;
      }
      for (const event of waiting.sort((a, b) => a.seq - b.seq)) sendNewer(event);
      deliver = sendNewer;
      // The stored record is final but its last change is not in the log (or the client has it, above): nothing
      // more will come, so the stream ends with that state rather than waiting for a change that will not happen.
      if (!finished && TERMINAL_STATUSES.includes(stored.status)) {
        send(stored, lastSeq);
        close();
      }
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
