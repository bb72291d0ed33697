import type { WebhookTarget } from '../storage/types.js';

/** Up to this many generations run as one batch. */
export const MAX_BATCH_ITEMS = 100;

/** A batch: its generations (in the order asked) and whether the caller cancelled it. Progress comes from them. */
export interface BatchRecord {
  id: string;
  user_id: string;
  /** Generation ids, index for index with the request's items. */
  items: string[];
  webhook: WebhookTarget | null;
  created_at: number;
  canceled_at: number | null;
}

/** How many batch items may hold a slot (claimed or running) at once. */
export interface BatchItemLimits {
  /** Of one user. */
  perUser: number;
  /** Over every user. */
  total: number;
}

/** Where a batch item is between its batch's creation and its end. */
export type BatchItemState = 'waiting' | 'claimed' | 'running';

/** An item of the batch queue. */
export interface BatchItem {
  /** The generation's id. */
  id: string;
  user_id: string;
  state: BatchItemState;
}

/**
 * Batches, and the queue their items wait in. The queue is what makes batches work with any number of
 * schedulers (instances): an item is claimed by one of them before it is submitted, and the limits count the items
 * of every scheduler.
 */
export interface BatchStore {
  /** A second batch with the same id is `DotbaseError('conflict')`. */
  create(batch: BatchRecord): Promise<void>;
  get(id: string): Promise<BatchRecord | null>;
  /** One user's batches, newest first. */
  list(userId: string, query: { page: number; limit: number }): Promise<{ items: BatchRecord[]; total: number }>;
  /** Marks a batch cancelled (the first time counts); null for an unknown id. */
  markCanceled(id: string, at: number): Promise<BatchRecord | null>;

  /**
   * Adds a user's items to the queue in the order given: `waiting` for their turn, or `running` (submitted before,
   * e.g. by a previous run: they hold their user's slot until finished). An item already queued (in any state) is
   * left as it is.
   */
  queueItems(userId: string, ids: readonly string[], state?: 'waiting' | 'running'): Promise<void>;
  /**
   * In one atomic step: the next item to submit, moved to `claimed` until `now + leaseMs` — or null when none may
   * start. Candidates are waiting items and claimed ones whose lease has ended (their scheduler died before
   * submitting them); an item may start only while fewer than `limits.total` items, and fewer than
   * `limits.perUser` of its user's, are claimed (lease not ended) or running. Users take turns: the user served
   * longest ago (or never) goes first, with their oldest item.
   */
  claimNextItem(limits: BatchItemLimits, now: number, leaseMs: number): Promise<BatchItem | null>;
  /** A claimed item was submitted: running, without a lease, until finished. An item not claimed is left as it is. */
  markItemRunning(id: string): Promise<void>;
  /** The item is over (or gone): out of the queue, its slot free. Idempotent; false when it was not queued. */
  finishItem(id: string): Promise<boolean>;
  /** Takes waiting items out of the queue (their batch was cancelled); returns the ids that were waiting. */
  dropItems(ids: readonly string[]): Promise<string[]>;
  /** Every queued item (waiting, claimed or running), oldest first. */
  queuedItems(): Promise<BatchItem[]>;
}
