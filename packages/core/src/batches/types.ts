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

export interface BatchStore {
  /** A second batch with the same id is `DotbaseError('conflict')`. */
  create(batch: BatchRecord): Promise<void>;
  get(id: string): Promise<BatchRecord | null>;
  /** One user's batches, newest first. */
  list(userId: string, query: { page: number; limit: number }): Promise<{ items: BatchRecord[]; total: number }>;
  /** Marks a batch cancelled (the first time counts); null for an unknown id. */
  markCanceled(id: string, at: number): Promise<BatchRecord | null>;
}
