import { Agent, request } from 'undici';
import type { PredictionRecord, WebhookEvent } from '../predictions/types.js';
import { newWebhookId, signWebhook } from './sign.js';

/** Replicate sends output and logs events at most this often per prediction. */
export const WEBHOOK_THROTTLE_MS = 500;
const ATTEMPT_TIMEOUT_MS = 10_000;

export interface WebhookDispatcherOptions {
  secret: string;
  /** Waits before each retry; the number of entries is the number of retries. */
  retryDelaysMs: readonly number[];
  /** The prediction JSON at the moment of the event. */
  serialize(record: PredictionRecord): string;
  onDelivered(): void;
  onFailed(): void;
}

/**
 * Sends signed webhooks for the events a prediction subscribed to. Deliveries of one prediction go out in order;
 * a failed delivery (network error or non-2xx) is retried with the same `webhook-id` after each configured delay.
 */
export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;
  readonly #queues = new Map<string, Promise<void>>();
  /** Per prediction, when each throttled event was last sent; weak so finished predictions take it with them. */
  readonly #lastSent = new WeakMap<PredictionRecord, Partial<Record<WebhookEvent, number>>>();
  readonly #stop = new AbortController();
  /**
   * Deliveries go out with undici's request API over kept-alive connections: Node's fetch costs several times the
   * CPU per small POST (WHATWG streams and signals), and on a machine shared with the receiver, as in the benches,
   * that CPU is taken from the server under test. Closing the dispatcher destroys the pool, which ends what is in
   * flight.
   */
  readonly #agent = new Agent();

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  notify(record: PredictionRecord, event: WebhookEvent): void {
    const webhook = record.webhook;
    if (!webhook || !webhook.events.has(event) || this.#stop.signal.aborted) return;
    if (event === 'output' || event === 'logs') {
      const sent = this.#lastSent.get(record) ?? {};
      const now = Date.now();
      if (now - (sent[event] ?? 0) < WEBHOOK_THROTTLE_MS) return;
      sent[event] = now;
      this.#lastSent.set(record, sent);
    }
    const body = this.#options.serialize(record);
    const previous = this.#queues.get(record.id) ?? Promise.resolve();
    const next = previous.then(() => this.#deliver(webhook.url, body));
    this.#queues.set(record.id, next);
    void next.then(() => {
      if (this.#queues.get(record.id) === next) this.#queues.delete(record.id);
    });
  }

  /** Stops retries and pending deliveries. */
  close(): void {
    this.#stop.abort();
    void this.#agent.destroy().catch(() => undefined);
  }

  async #deliver(url: string, body: string): Promise<void> {
    const id = newWebhookId();
    const delays = this.#options.retryDelaysMs;
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0 && !(await this.#sleep(delays[attempt - 1]!))) return;
      if (await this.#attempt(url, id, body)) {
        this.#options.onDelivered();
        return;
      }
    }
    this.#options.onFailed();
  }

  async #attempt(url: string, id: string, body: string): Promise<boolean> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const answer = await request(url, {
        dispatcher: this.#agent,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Replicate-Webhooks/1.0 (dotbase simulator)',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.#options.secret, id, timestamp, body),
        },
        body,
        // redirects are not followed (undici's request API never does): a 3xx is a failed delivery, as at Replicate
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      // read the (small) answer to its end: a connection whose answer is left unread cannot be reused
      await answer.body.dump();
      return answer.statusCode >= 200 && answer.statusCode <= 299;
    } catch {
      return false;
    }
  }

  /** Resolves false when the dispatcher was closed meanwhile. */
  #sleep(ms: number): Promise<boolean> {
    const signal = this.#stop.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
