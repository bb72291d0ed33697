import { ACTIONS } from '../models/types.js';
import { GENERATION_STATUSES } from './types.js';

/**
 * What a value of the generation store must look like, shared by the store's reads (a damaged value is reported,
 * not handed out) and the start-time verification of the embedded store. LMDB keeps no checksums, so a flipped
 * byte inside a JSON string still parses: only the shape shows it (a key renamed, a status no status has).
 * Each returns the problem in a few words, or undefined when the value is fine.
 */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isIndex = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/** `gen:<id>`: `{ record, chunk }`; `expectedId`, when given, is the id the key names. */
export function storedGenerationProblem(value: unknown, expectedId?: string): string | undefined {
  if (!isObject(value) || !isObject(value.record)) return 'not a stored generation';
  const record = value.record;
  if (!isNonEmptyString(record.id)) return 'the record has no id';
  if (expectedId !== undefined && record.id !== expectedId) return 'the record’s id differs from its key';
  if (!isNonEmptyString(record.user_id)) return 'the record has no user_id';
  if (!(ACTIONS as readonly unknown[]).includes(record.action)) return 'the record has no known action';
  if (!(GENERATION_STATUSES as readonly unknown[]).includes(record.status)) return 'the record has no known status';
  if (!Number.isFinite(record.created_at)) return 'the record has no created_at';
  if (!isIndex(value.chunk)) return 'the record has no index chunk';
  return undefined;
}

/**
 * `users:<user>:meta`: `{ chunkSize, counts, chunks }`. `deep` also checks every count (one per chunk and
 * action×status: thousands at 100k generations), for the start-time scan; reads on the hot path check the frame.
 */
export function indexMetaProblem(value: unknown, deep = true): string | undefined {
  if (!isObject(value) || !Array.isArray(value.chunks)) return 'not a user index';
  if (!Number.isInteger(value.chunkSize) || (value.chunkSize as number) < 1) return 'the index has no chunk size';
  if (!isObject(value.counts)) return 'the index has no counts';
  if (!deep) return undefined;
  const isCounts = (count: unknown) => isObject(count) && Object.values(count).every((n) => Number.isInteger(n));
  // a chunk's counts may be missing (read as none)
  if (!isCounts(value.counts) || !value.chunks.every((count) => count == null || isCounts(count))) return 'the index counts are not numbers';
  return undefined;
}

/** `users:<user>:chunks:<n>`: `[id, action, status, favorite?: 1][]`. */
export function indexChunkProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'not an index chunk';
  const valid = value.every(
    (entry) =>
      Array.isArray(entry) &&
      isNonEmptyString(entry[0]) &&
      (ACTIONS as readonly unknown[]).includes(entry[1]) &&
      (GENERATION_STATUSES as readonly unknown[]).includes(entry[2]) &&
      (entry.length === 3 || (entry.length === 4 && entry[3] === 1)),
  );
  return valid ? undefined : 'an index entry is not [id, action, status, favorite?]';
}
