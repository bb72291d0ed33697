import type { GenerationRecord, GenerationService, OutboxMessage, OutboxStore } from '@dotbase/core';
import { checkPublicUrl, parseHostRules, safeFetch, UnsafeUrlError, type HostRule } from '@dotbase/core/node';
import { presentedJson } from '../../generations/present.js';
import { HttpError } from '../../http/errors.js';
import type { Logger } from '../../log.js';
import { webhooksFor } from './events.js';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, type RetrySchedule } from './schedule.js';
import type { WebhookSecrets } from './secrets.js';
import { signWebhookBody } from './sign.js';

export interface OutgoingWebhooksOptions {
  service: Pick<GenerationService, 'subscribe'>;
  outbox: OutboxStore;
  secrets: WebhookSecrets;
  /** Hosts webhooks may target besides public https ones, http allowed (`DOTBASE_WEBHOOK_ALLOWED_HOSTS`). */
  allowedHosts?: readonly string[];
  /** The base of `output_urls` in bodies: the public URL, else where the server listens. */
  baseUrl: () => string;
  schedule?: Partial<RetrySchedule>;
  /** One try's deadline, answer included (default 10 s). */
  timeoutMs?: number;
  /** How often the outbox is looked at for retries that came due (default 1 s); new messages go out at once. */
  pollMs?: number;
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
  logger: Logger;
  now?: () => number;
}

/** A delivery as `GET /api/generations/:id/deliveries` shows it. */
export interface DeliveryJson {
  id: string;
  event: OutboxMessage['event'];
  url: string;
  status: OutboxMessage['status'];
  created_at: number;
  next_attempt_at: number | null;
  attempts: OutboxMessage['attempts'];
}

/** The answer a receiver may send back is read up to this much and dropped: only its status matters. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Outgoing webhooks: every change of a generation that has a `webhook` becomes outbox messages (written before
 * anything is sent, so a restart loses none), and a worker sends due messages signed per Standard Webhooks with the
 * owner's secret, under the SSRF rules (checked again at every try, the connection pinned to the checked address),
 * with a 10 s deadline and no redirects followed. Anything but a 2xx is tried again with exponential back-off
 * for the retry window (24 h by default), under the same `webhook-id`.
 *
 * @example
 * const webhooks = createOutgoingWebhooks({ service, outbox, secrets, allowedHosts: ['127.0.0.1'], baseUrl: () => url, logger });
 * webhooks.start();
 * await webhooks.checkTarget('https://example.com/hooks'); // throws HttpError 422 when not allowed
 */
export function createOutgoingWebhooks(options: OutgoingWebhooksOptions) {
  const { outbox, secrets, logger } = options;
  const schedule = { ...DEFAULT_RETRY_SCHEDULE, ...options.schedule };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const now = options.now ?? Date.now;
  const allowedHosts: HostRule[] = parseHostRules(options.allowedHosts ?? []);
  // a try that takes longer than its deadline is over: the lease only has to outlast it
  const leaseMs = timeoutMs + 30_000;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let ticking: Promise<void> | undefined;
  let again = false;
  let unsubscribe = () => {};
  /** Changes being written to the outbox: stop waits for them, so none is cut off by closing the storage. */
  const queueing = new Set<Promise<void>>();

  async function enqueue(record: GenerationRecord): Promise<void> {
    const due = webhooksFor(record);
    if (due.length === 0 || !record.webhook) return;
    const body = presentedJson(record, options.baseUrl());
    const at = now();
    let added = false;
    for (const { event, id } of due) {
      const message: OutboxMessage = {
        id,
        user_id: record.user_id,
        generation_id: record.id,
        event,
        url: record.webhook.url,
        body,
        status: 'pending',
        created_at: at,
        next_attempt_at: at,
        attempts: [],
      };
      if (await outbox.enqueue(message)) added = true;
    }
    if (added) kick();
  }

  async function send(message: OutboxMessage): Promise<{ status_code: number | null; error: string | null }> {
    const secret = await secrets.get(message.user_id);
    const timestamp = Math.floor(now() / 1000);
    try {
      const answer = await safeFetch(message.url, {
        method: 'POST',
        allowedHosts,
        timeoutMs,
        maxRedirects: 0,
        maxBytes: MAX_ANSWER_BYTES,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'dotbase-webhooks',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhookBody(secret, message.id, timestamp, message.body),
        },
        body: message.body,
      });
      return { status_code: answer.status, error: answer.status >= 200 && answer.status < 300 ? null : `answered ${answer.status}` };
    } catch (error) {
      return { status_code: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function deliver(message: OutboxMessage): Promise<void> {
    const started = now();
    const result = await send(message);
    const attempt = { at: started, ...result, duration_ms: Math.max(0, now() - started) };
    const delivered = result.status_code !== null && result.status_code >= 200 && result.status_code < 300;
    const next = delivered ? null : nextAttemptAt({ createdAt: message.created_at, failures: message.attempts.length + 1, now: now() }, schedule);
    await outbox.recordAttempt(message.id, attempt, delivered ? { status: 'delivered' } : next === null ? { status: 'failed' } : { status: 'pending', next_attempt_at: next });
    if (!delivered) logger.warn('webhook delivery failed', { id: message.id, event: message.event, error: result.error, gave_up: next === null });
  }

  async function tick(): Promise<void> {
    do {
      again = false;
      const due = await outbox.claimDue(now(), concurrency, leaseMs);
      await Promise.all(due.map((message) => deliver(message).catch((error: unknown) => logger.error('webhook delivery crashed', { id: message.id, error: String(error) }))));
      if (due.length === concurrency) again = true;
    } while (again && running);
  }

  function plan(delayMs: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      ticking = tick()
        .catch((error: unknown) => logger.error('webhook outbox unreadable', { error: String(error) }))
        .finally(() => {
          ticking = undefined;
          plan(again ? 0 : pollMs);
        });
    }, delayMs);
    // the worker alone must not keep a process alive
    timer.unref?.();
  }

  /** New messages: go now, or right after the round in flight. */
  function kick(): void {
    if (ticking) again = true;
    else plan(0);
  }

  return {
    /**
     * Refuses a webhook URL that is neither https on public addresses nor on the allowed hosts: an HttpError 422
     * naming the field (`path`, e.g. `webhook` or `items.3.webhook`).
     */
    async checkTarget(url: string, path = 'webhook'): Promise<void> {
      try {
        await checkPublicUrl(url, { allowedHosts });
      } catch (error) {
        if (!(error instanceof UnsafeUrlError)) throw error;
        const message = `${error.message} (webhooks go to https URLs on public addresses, or to hosts in DOTBASE_WEBHOOK_ALLOWED_HOSTS)`;
        throw new HttpError(422, 'invalid_input', `${path}: ${message}`, { details: { issues: [{ path, message }] } });
      }
    },

    /** One generation's deliveries, oldest first. */
    async deliveries(generationId: string): Promise<DeliveryJson[]> {
      return (await outbox.listByGeneration(generationId)).map((message) => ({
        id: message.id,
        event: message.event,
        url: message.url,
        status: message.status,
        created_at: message.created_at,
        next_attempt_at: message.next_attempt_at,
        attempts: message.attempts,
      }));
    },

    /** A deleted generation's messages go with it. */
    forget(generationId: string): Promise<void> {
      return outbox.deleteByGeneration(generationId);
    },

    /** Listens to generation changes and starts sending, with whatever a previous run left in the outbox. */
    start(): void {
      if (running) return;
      running = true;
      unsubscribe = options.service.subscribe((event) => {
        const queued = enqueue(event.record)
          .catch((error: unknown) => logger.error('webhook not queued', { generation: event.id, error: String(error) }))
          .finally(() => queueing.delete(queued));
        queueing.add(queued);
      });
      plan(0);
    },

    /** Stops taking new changes and sending; waits for the round in flight. Undelivered messages stay for the next start. */
    async stop(): Promise<void> {
      running = false;
      unsubscribe();
      clearTimeout(timer);
      await Promise.all(queueing);
      await ticking;
    },

    secrets,
  };
}

export type OutgoingWebhooks = ReturnType<typeof createOutgoingWebhooks>;
