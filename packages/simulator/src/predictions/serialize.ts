import type { PredictionJson, PredictionRecord } from './types.js';

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** Whether the prediction's output, input and logs are gone (Replicate deletes them an hour after completion). */
export function isDataRemoved(record: PredictionRecord, now: number): boolean {
  return record.expiresAt !== undefined && now >= record.expiresAt;
}

/** The prediction as the API shows it; `apiBase` is the `/v1` base URL its `urls` point into. */
export function toPredictionJson(record: PredictionRecord, apiBase: string, now: number): PredictionJson {
  const removed = isDataRemoved(record, now);
  const metrics: PredictionJson['metrics'] = {};
  if (record.completedAt !== undefined) {
    if (record.startedAt !== undefined) metrics.predict_time = (record.completedAt - record.startedAt) / 1000;
    metrics.total_time = (record.completedAt - record.createdAt) / 1000;
  }
  const get = `${apiBase}/predictions/${record.id}`;
  return {
    id: record.id,
    model: record.model,
    version: record.version,
    input: removed ? {} : record.input,
    output: removed ? null : record.output,
    error: record.error,
    logs: removed ? '' : record.logs,
    status: record.status,
    source: 'api',
    data_removed: removed,
    created_at: iso(record.createdAt) as string,
    started_at: iso(record.startedAt),
    completed_at: iso(record.completedAt),
    urls: { get, cancel: `${get}/cancel`, web: `https://replicate.com/p/${record.id}` },
    metrics,
    ...(record.webhook ? { webhook: record.webhook.url, webhook_events_filter: [...record.webhook.events] } : {}),
  };
}
