import type { Action } from '../models/types.js';
import type { GenerationRecord, GenerationStatus, ListQuery, ListResult, StatsRow, WebhookEvent } from '../storage/types.js';
import type { Prediction } from '../providers/types.js';

/** What a caller asks for: the body of `POST /api/generations/create`. */
export interface CreateGenerationRequest {
  action: Action;
  model_id: string;
  prompt?: string;
  settings?: Record<string, unknown>;
  /** Upload ids (blob keys under `uploads/`) or https URLs. */
  input_images?: string[];
  mask?: string;
  /** Where to POST the generation as it changes (signed per Standard Webhooks by the server). */
  webhook?: string;
  /** Which changes to POST (default: all). */
  webhook_events_filter?: WebhookEvent[];
}

/** Emitted on every change of a generation, for live status (SSE) and tests. */
export interface GenerationEvent {
  id: string;
  user_id: string;
  status: GenerationStatus;
  progress: number | null;
  record: GenerationRecord;
}

export interface GenerationService {
  /** Validates, records as `pending`, submits, and returns the record as `processing`. */
  create(userId: string, request: CreateGenerationRequest): Promise<GenerationRecord>;
  /**
   * Validates every request first (an invalid one refuses all, its error naming `items.<index>`), then records
   * each as `pending` in the batch `batchId` without submitting it: `submitHeld` does, when the batch's turn comes.
   */
  createHeld(userId: string, requests: CreateGenerationRequest[], batchId: string): Promise<GenerationRecord[]>;
  /** Submits a held `pending` generation; anything else (unknown, cancelled, already submitted) is left as it is. */
  submitHeld(id: string): Promise<GenerationRecord | null>;
  /** The user's own generation, or null (another user's generation is null too). */
  get(userId: string, id: string): Promise<GenerationRecord | null>;
  list(userId: string, query: ListQuery): Promise<ListResult>;
  cancel(userId: string, id: string): Promise<GenerationRecord | null>;
  /** Stars or unstars the user's own generation; null when it is not theirs (or unknown). */
  setFavorite(userId: string, id: string, favorite: boolean): Promise<GenerationRecord | null>;
  /** Removes the record and its output files. */
  delete(userId: string, id: string): Promise<boolean>;
  stats(windowMs: number): Promise<StatsRow[]>;
  /** Applies a prediction delivered by a Replicate webhook. Idempotent; unknown predictions are ignored. */
  handlePrediction(prediction: Prediction): Promise<void>;
  /**
   * Resolves with the generation once it reaches a terminal status (completed, failed or canceled);
   * null for an unknown or foreign id; a `DotbaseError('conflict')` when `timeoutMs` passes first; the signal's
   * reason when `signal` is aborted first (the generation itself runs on).
   */
  wait(userId: string, id: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<GenerationRecord | null>;
  /** Listens to every generation change; returns an unsubscribe function. */
  subscribe(listener: (event: GenerationEvent) => void): () => void;
  /** Resumes every unfinished generation (crash recovery; held batch items are left to their batch) and starts polling. */
  start(): Promise<void>;
  /** Stops polling; in-flight work is left for the next start. */
  stop(): Promise<void>;
}
