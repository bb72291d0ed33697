import type { WebhookEvent } from '../storage/types.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One try at delivering a message: the receiver's HTTP status, or the error when there was no answer. */
export interface DeliveryAttempt {
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** One webhook call to make, kept until it is delivered or given up on. */
export interface OutboxMessage {
  /** The `webhook-id`: the same on every try, so receivers can drop duplicates. */
  id: string;
  user_id: string;
  generation_id: string;
  event: WebhookEvent;
  url: string;
  /** The JSON body, fixed when the message is made: a retry sends what the first try sent. */
  body: string;
  status: DeliveryStatus;
  created_at: number;
  /** When a pending message is due next; null once delivered or failed. */
  next_attempt_at: number | null;
  attempts: DeliveryAttempt[];
}

export type AttemptOutcome = { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; next_attempt_at: number };

/**
 * The durable outbox of outgoing webhooks, next to the generation records: a message is written before it is
 * sent, so a crash or restart cannot lose it. Several workers may share one store: `claimDue` hands each due
 * message to one of them for `leaseMs`, after which an unfinished message is due again (the worker died).
 */
export interface OutboxStore {
  /** Adds a message as given. One with the same id already stored is kept as it is: false. */
  enqueue(message: OutboxMessage): Promise<boolean>;
  /**
   * Up to `limit` pending messages with `next_attempt_at <= now`, earliest first, each moved to
   * `next_attempt_at = now + leaseMs` in the same step so no other worker takes it meanwhile.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  /** Appends an attempt and sets the outcome; null for an unknown id. */
  recordAttempt(id: string, attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<OutboxMessage | null>;
  get(id: string): Promise<OutboxMessage | null>;
  /** One generation's messages, oldest first. */
  listByGeneration(generationId: string): Promise<OutboxMessage[]>;
  /** The earliest `next_attempt_at` of any pending message, or null when none is pending. */
  nextDueAt(): Promise<number | null>;
  /** Forgets one generation's messages (the generation was deleted); pending ones are not sent. */
  deleteByGeneration(generationId: string): Promise<void>;
}
