import { DotbaseError } from '../errors.js';
import { ACTIONS } from '../models/types.js';
import { GENERATION_STATUSES, type GenerationRecord, type ListQuery } from './types.js';

/**
 * The checks every GenerationStore makes on what it is asked to keep, so all of them refuse the same records with the
 * same error. `full`: a whole record (create); otherwise a patch, whose absent fields are not checked.
 */
export function checkGenerationRecord(record: Partial<GenerationRecord>, full = true): void {
  const problems: string[] = [];
  if (full && (typeof record.id !== 'string' || record.id === '')) problems.push('id must be a non-empty string');
  if (full && (typeof record.user_id !== 'string' || record.user_id === '')) problems.push('user_id must be a non-empty string');
  if ((full || record.action !== undefined) && !(ACTIONS as readonly unknown[]).includes(record.action)) problems.push(`unknown action ${JSON.stringify(record.action)}`);
  if ((full || record.status !== undefined) && !(GENERATION_STATUSES as readonly unknown[]).includes(record.status)) problems.push(`unknown status ${JSON.stringify(record.status)}`);
  if (record.favorite !== undefined && typeof record.favorite !== 'boolean') problems.push('favorite must be a boolean');
  if (full && !Number.isFinite(record.created_at)) problems.push('created_at must be epoch milliseconds');
  if (problems.length > 0) throw new DotbaseError('invalid_input', `invalid generation record: ${problems.join('; ')}`);
}

/** The checks every GenerationStore makes on a list query (page and limit, known action and status). */
export function checkListQuery(query: ListQuery): void {
  const problems: string[] = [];
  if (!Number.isInteger(query.page) || query.page < 1) problems.push('page must be an integer ≥ 1');
  if (!Number.isInteger(query.limit) || query.limit < 1) problems.push('limit must be an integer ≥ 1');
  if (query.action !== undefined && !(ACTIONS as readonly string[]).includes(query.action)) problems.push(`unknown action ${JSON.stringify(query.action)}`);
  if (query.status !== undefined && !(GENERATION_STATUSES as readonly string[]).includes(query.status)) problems.push(`unknown status ${JSON.stringify(query.status)}`);
  if (query.favorite !== undefined && query.favorite !== true) problems.push('favorite must be true or absent');
  if (problems.length > 0) throw new DotbaseError('invalid_input', problems.join('; '));
}

/** A record as stores hand it out: `favorite` is `true` or absent, never `false`. */
export function withFavoriteNormalised(record: GenerationRecord): GenerationRecord {
  if (record.favorite !== false) return record;
  const { favorite: _unstarred, ...rest } = record;
  return rest;
}
