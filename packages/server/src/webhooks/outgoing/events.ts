import { TERMINAL_STATUSES, type GenerationRecord, type WebhookEvent } from '@dotbase/core';

/** One webhook a generation change calls for, with its message id. */
export interface DueWebhook {
  event: WebhookEvent;
  /** Derived from the generation and the event, so the same change seen twice (after a restart) is one message. */
  id: string;
}

/**
 * The webhooks a generation's current state calls for, as Replicate sends them: `start` once it runs, `logs` as its
 * progress moves, `output` once outputs are stored, `completed` when it ends (completed, failed or canceled),
 * narrowed to the target's `events_filter`. Message ids are deterministic (one `start`, one `logs` per progress
 * value…), so the outbox, which keeps the first message of an id, drops repeats.
 *
 * @example
 * webhooksFor({ ...record, status: 'completed', output_keys: ['outputs/a.png'] }); // output, completed
 */
export function webhooksFor(record: GenerationRecord): DueWebhook[] {
  const filter = record.webhook?.events_filter;
  if (!filter) return [];
  const due: DueWebhook[] = [];
  const add = (event: WebhookEvent, suffix: string = event) => {
    if (filter.includes(event)) due.push({ event, id: `msg_${record.id}_${suffix}` });
  };
  if (record.status === 'processing') {
    add('start');
    if (record.progress !== null) add('logs', `logs-${record.progress}`);
  }
  if (TERMINAL_STATUSES.includes(record.status)) {
    if (record.output_keys.length > 0) add('output');
    add('completed');
  }
  return due;
}
