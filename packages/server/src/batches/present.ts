import { GENERATION_STATUSES, TERMINAL_STATUSES, type BatchRecord, type GenerationRecord, type GenerationStatus } from '@dotbase/core';
import { fileUrl } from '../generations/present.js';

export type BatchStatus = 'pending' | 'processing' | 'completed' | 'canceled';

/** Where a batch stands, from its generations: finished when every one has ended, cancelled when asked to be. */
export function batchStatus(batch: BatchRecord, items: readonly (GenerationRecord | null)[]): BatchStatus {
  if (batch.canceled_at !== null) return 'canceled';
  if (items.every((item) => !item || TERMINAL_STATUSES.includes(item.status))) return 'completed';
  return items.some((item) => item && item.status !== 'pending') ? 'processing' : 'pending';
}

/**
 * A batch as the API shows it: the SPEC fields (`id`, `status`, `items` as generation ids, `counts`) plus each
 * item's status, progress and outputs in `generations`, so one poll follows the whole batch.
 */
export function presentBatch(batch: BatchRecord, items: readonly (GenerationRecord | null)[], baseUrl: string) {
  const counts = Object.fromEntries(GENERATION_STATUSES.map((status) => [status, 0])) as Record<GenerationStatus, number>;
  for (const item of items) if (item) counts[item.status] += 1;
  return {
    id: batch.id,
    status: batchStatus(batch, items),
    items: batch.items,
    counts,
    generations: batch.items.map((id, index) => {
      const item = items[index];
      return {
        id,
        index,
        model_id: item?.model_id ?? null,
        status: item?.status ?? null,
        progress: item?.progress ?? null,
        output_urls: item ? item.output_keys.map((key) => fileUrl(baseUrl, key)) : [],
        error: item?.error ?? null,
      };
    }),
    webhook: batch.webhook?.url ?? null,
    created_at: batch.created_at,
    canceled_at: batch.canceled_at,
  };
}
