import type { ApiClient } from './client.js';
import { ApiError, errorFromBody } from './errors.js';
import type { CreateGenerationBody, GenerationStatus } from './types.js';

/** One item of a batch as `GET /api/batches/:id` shows it. */
export interface BatchItem {
  id: string;
  index: number;
  model_id: string | null;
  status: GenerationStatus | null;
  progress: number | null;
  output_urls: string[];
  error: string | null;
}

export interface Batch {
  id: string;
  status: 'pending' | 'processing' | 'completed' | 'canceled';
  items: string[];
  counts: Record<GenerationStatus, number>;
  generations: BatchItem[];
  created_at: number;
  canceled_at: number | null;
}

export function isBatchOver(batch: Batch): boolean {
  return batch.status === 'completed' || (batch.status === 'canceled' && batch.counts.pending + batch.counts.processing === 0);
}

/** `POST /api/batches`: up to 100 creates as one batch. */
export function createBatch(client: ApiClient, items: CreateGenerationBody[]): Promise<Batch> {
  return client.request('POST', '/api/batches', { items });
}

export function getBatch(client: ApiClient, id: string, signal?: AbortSignal): Promise<Batch> {
  return client.request('GET', `/api/batches/${encodeURIComponent(id)}`, undefined, signal);
}

export function cancelBatch(client: ApiClient, id: string): Promise<Batch> {
  return client.request('POST', `/api/batches/${encodeURIComponent(id)}/cancel`);
}

/**
 * Saves the batch's ZIP. Fetched with the studio's own credentials (an embed token cannot ride on a plain link),
 * then saved from an object URL.
 */
export async function downloadBatch(client: ApiClient, id: string): Promise<void> {
  const { headers, credentials } = await client.auth();
  let response: Response;
  try {
    response = await fetch(client.url(`/api/batches/${encodeURIComponent(id)}/download`), { headers, credentials });
  } catch (error) {
    throw new ApiError('network_error', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw errorFromBody(response.status, await response.json().catch(() => null), response.statusText);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = `dotbase-batch-${id.slice(0, 8)}.zip`;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}
