import type { Action } from '../models/types.js';

/** Stored bytes: uploads and generation outputs. Keys are unguessable and carry the file extension. */
export interface BlobStore {
  /** Stores bytes under a new unguessable key below `prefix` (e.g. `uploads`, `outputs`). */
  put(bytes: Uint8Array, contentType: string, prefix: string): Promise<StoredBlob>;
  /**
   * Stores bytes under a given valid key (e.g. `outputBlobKey`'s), the content type the one its extension names;
   * a second call overwrites. For writes that must land on the same object however often they run.
   */
  putAt(key: string, bytes: Uint8Array): Promise<StoredBlob>;
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * One page of the keys stored below `prefix` (at any depth), in ascending key order. Pass the answer's `cursor`
   * back for the next page; the last page has none. A page holds at most `limit` keys (1–1000, default 1000) and
   * may hold fewer even when more follow.
   */
  list(prefix: string, page?: BlobListPage): Promise<BlobList>;
}

/** Which page of a `BlobStore.list` to read. */
export interface BlobListPage {
  limit?: number;
  /** The `cursor` of the previous page (opaque: each store makes its own). */
  cursor?: string;
}

export interface BlobList {
  keys: string[];
  /** Set when more keys may follow. */
  cursor?: string;
}

export interface StoredBlob {
  key: string;
  contentType: string;
  size: number;
}

export const GENERATION_STATUSES = ['pending', 'processing', 'completed', 'failed', 'canceled'] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
export const TERMINAL_STATUSES: readonly GenerationStatus[] = ['completed', 'failed', 'canceled'];

/** Replicate's webhook event kinds: the filter a caller may narrow deliveries to. */
export const WEBHOOK_EVENTS = ['start', 'output', 'logs', 'completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Where a generation's changes are POSTed, and which of them. */
export interface WebhookTarget {
  url: string;
  events_filter: WebhookEvent[];
}

export interface GenerationRecord {
  id: string;
  user_id: string;
  action: Action;
  model_id: string;
  prompt: string | null;
  settings: Record<string, unknown>;
  /** What the caller passed: upload ids or https URLs. */
  input_images: string[];
  mask: string | null;
  status: GenerationStatus;
  prediction_id: string | null;
  token_id: string | null;
  /** Blob keys of the outputs, in Replicate's order. */
  output_keys: string[];
  error: string | null;
  /** Last progress seen in the prediction logs, 0–100, or null when the model prints none. */
  progress: number | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  processing_time_ms: number | null;
  /** Optional for records written before webhooks existed: absent means none. */
  webhook?: WebhookTarget | null;
  /**
   * The batch this generation belongs to. A batch item stays `pending` until the batch scheduler submits it, so
   * crash recovery leaves pending batch items to the scheduler instead of submitting them all at once.
   */
  batch_id?: string | null;
  /**
   * When the submission of a batch item to Replicate began, written before the create is sent. A `pending` item
   * with it may already have a prediction (the process died before saving the answer): crash recovery looks for
   * that prediction, as for any interrupted generation, instead of the scheduler submitting the item again.
   */
  submit_started_at?: number | null;
  /**
   * The owner starred it (history's favorites filter). Stores hand it out as `true` or not at all: absent means
   * not starred, for records written before favorites existed as for the others. Change it with `setFavorite`.
   */
  favorite?: boolean;
}

export interface ListQuery {
  action?: Action;
  status?: GenerationStatus;
  /** Only the starred generations (from the index, like action and status). */
  favorite?: true;
  /** 1-based. */
  page: number;
  limit: number;
}

export interface ListResult {
  items: GenerationRecord[];
  total: number;
}

export interface StatsRow {
  action: Action;
  status: GenerationStatus;
  count: number;
  /** Average processing_time_ms of the rows that have one, else null. */
  avg_processing_time_ms: number | null;
}

/** A row of `GenerationStore.activity`: a stats row with the 95th percentile of the processing times. */
export interface ActivityRow extends StatsRow {
  /** Within 10 % of the true p95 (a log-binned histogram, so it never reads records); null without times. */
  p95_processing_time_ms: number | null;
}

/** Generations created in one statistics bucket, by status: one step of a chart. */
export interface ActivityPoint {
  /** Start of the bucket, epoch ms. */
  start: number;
  counts: Partial<Record<GenerationStatus, number>>;
}

/** A failed generation as the operator sees it. */
export interface RecentFailure {
  id: string;
  user_id: string;
  action: Action;
  model_id: string;
  error: string;
  created_at: number;
  completed_at: number | null;
}

/** What happened in a window of time, for the admin dashboard. */
export interface ActivityReport {
  since: number;
  /** Width of one `series` step: the store's statistics bucket (one hour by default). */
  bucket_ms: number;
  rows: ActivityRow[];
  /** One point per bucket from the one holding `since` to the newest, oldest first; empty buckets included. */
  series: ActivityPoint[];
  /** The errors of failed generations, grouped by their first line, most frequent first. */
  failure_reasons: Array<{ reason: string; count: number }>;
  /** The newest failures of generations created in the window, newest first (at most 50). */
  recent_failures: RecentFailure[];
}

/** Fields a record may leave unset (null or absent): what an `UpdateCondition` can require to be still unset. */
export type NullableGenerationField = { [K in keyof GenerationRecord]-?: null extends GenerationRecord[K] ? K : never }[keyof GenerationRecord];

/**
 * What must hold for a conditional `update` to apply, checked atomically with the write (one statement, or under
 * the store's lock), however many processes race: of several updates from `processing` to a terminal status,
 * exactly one applies. Every part given must hold.
 */
export interface UpdateCondition {
  /** The record's status is one of these. */
  status?: readonly GenerationStatus[];
  /** These fields are still unset (null or absent). */
  unset?: readonly NullableGenerationField[];
}

/** Whether a record meets a condition (for stores that check it in memory under their lock). */
export function meetsCondition(record: GenerationRecord, condition: UpdateCondition | undefined): boolean {
  if (!condition) return true;
  if (condition.status && !condition.status.includes(record.status)) return false;
  return (condition.unset ?? []).every((field) => record[field] === null || record[field] === undefined);
}

/** One user's generations by status, from their index (no records read). */
export interface UserActivity {
  user_id: string;
  total: number;
  counts: Partial<Record<GenerationStatus, number>>;
}

/**
 * Where generations live. Listing must not read every record: implementations keep indexes. Records handed out
 * may be shared with the store's cache (the built-in store freezes them): treat them as read-only and copy one to
 * change it; changing a record handed out must never change what is stored.
 */
export interface GenerationStore {
  create(record: GenerationRecord): Promise<void>;
  get(id: string): Promise<GenerationRecord | null>;
  /**
   * Applies a patch and returns the new record; null when the id is unknown. Indexes follow the change. With a
   * `condition`, the patch applies only if it holds at the moment of the write (atomically, across processes);
   * null when it does not. This is how a generation ends exactly once (see `UpdateCondition`).
   */
  update(id: string, patch: Partial<Omit<GenerationRecord, 'id' | 'user_id' | 'created_at'>>, condition?: UpdateCondition): Promise<GenerationRecord | null>;
  delete(id: string): Promise<boolean>;
  /** Stars or unstars a generation and moves it in the favorites index; the new record, or null when the id is unknown. */
  setFavorite(id: string, favorite: boolean): Promise<GenerationRecord | null>;
  /** One user's generations, newest first. */
  list(userId: string, query: ListQuery): Promise<ListResult>;
  /** Ids of every generation not yet in a terminal status (for crash recovery). */
  listUnfinished(): Promise<string[]>;
  /** Counts and average processing time by action and status, of generations created at or after `since`. */
  stats(since: number): Promise<StatsRow[]>;
  /** `stats` plus p95 times, a per-bucket series, failure reasons and recent failures, for the admin dashboard. */
  activity(since: number): Promise<ActivityReport>;
  /** Every user with generations, with their counts by status, most generations first. */
  users(): Promise<UserActivity[]>;
  /**
   * Repairs what a crash between two writes can leave (stores whose changes are not transactional implement it;
   * the service calls it once at start): index entries of records that were never written are removed, so
   * totals match what a list shows. Returns how many entries it removed.
   */
  reconcile?(): Promise<{ removed: number }>;
  /**
   * Stores shared by several instances (e.g. `claimingStore` of `@dotbase/scale/postgres`) hand each instance the
   * unfinished generations no live instance tracks any more (their instance died): the service calls `claim()`
   * every `intervalMs` and resumes the generations whose ids it answers. Absent in the embedded store (one
   * process follows everything from its start).
   */
  readonly takeover?: { intervalMs: number; claim(): Promise<string[]> };
}
