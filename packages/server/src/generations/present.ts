import type { GenerationRecord } from '@dotbase/core';
import type { z } from 'zod';
import type { generationSchema } from '../schemas.js';

export type GenerationJson = z.infer<typeof generationSchema>;

/**
 * A generation as the API shows it: the SPEC fields plus progress and inputs, with output keys turned into absolute
 * URLs on dotbase's own `/files/` (never Replicate's, which expire). Internal fields (user and token ids) stay out.
 *
 * @example
 * presentGeneration(record, 'https://images.example.com'); // output_urls: ['https://images.example.com/files/outputs/….png']
 */
export function presentGeneration(record: GenerationRecord, baseUrl: string): GenerationJson {
  return {
    id: record.id,
    action: record.action,
    model_id: record.model_id,
    prompt: record.prompt,
    settings: record.settings,
    status: record.status,
    progress: record.progress,
    prediction_id: record.prediction_id,
    output_urls: record.output_keys.map((key) => fileUrl(baseUrl, key)),
    input_images: record.input_images,
    mask: record.mask,
    error: record.error,
    processing_time_ms: record.processing_time_ms,
    created_at: record.created_at,
    completed_at: record.completed_at,
    favorite: record.favorite === true,
  };
}

/** Serialised answers of frozen (store-owned, never changing) records, per base URL: a polled generation and the
 * rows of a history page are serialised once, not on every request. Weak keys: gone with the record. */
const serialised = new WeakMap<GenerationRecord, { baseUrl: string; json: string }>();

/** `JSON.stringify(presentGeneration(record, baseUrl))`, remembered for records the store handed out frozen. */
export function presentedJson(record: GenerationRecord, baseUrl: string): string {
  const known = serialised.get(record);
  if (known && known.baseUrl === baseUrl) return known.json;
  const json = JSON.stringify(presentGeneration(record, baseUrl));
  if (Object.isFrozen(record)) serialised.set(record, { baseUrl, json });
  return json;
}

export function fileUrl(baseUrl: string, key: string): string {
  return `${baseUrl}/files/${key}`;
}
