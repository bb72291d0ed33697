import { createHash } from 'node:crypto';
import { keySegmentLength } from '@dotbase/core';

/**
 * Core files each user's index under a key segment made from the user id, where every character other than
 * `a-z 0-9 -` takes three (`A` → `_41`), and file systems cap a name at 255 bytes. Ids whose segment could pass
 * this many characters are stored under a digest instead.
 */
const MAX_SEGMENT_LENGTH = 96;

/** Whether `id` can be used in core's storage keys as it is. */
export function fitsStorageKey(id: string): boolean {
  return keySegmentLength(id) <= MAX_SEGMENT_LENGTH;
}

/**
 * The user id generations and uploads are stored under for a principal: its own id when that is short enough for
 * storage keys, else `#` + a SHA-256 digest of it. No built-in principal id can start with `#` (API-key users are
 * letters, digits and `_ . @ -`; others carry a `telegram:` or `<minter>:` prefix), so the two never meet.
 *
 * @example
 * ownerIdFor('alice'); // 'alice'
 * ownerIdFor('shop:' + 'A'.repeat(128)); // '#3f1c…' (40 hex digits)
 */
export function ownerIdFor(principalId: string): string {
  if (fitsStorageKey(principalId)) return principalId;
  return `#${createHash('sha256').update(principalId).digest('hex').slice(0, 40)}`;
}
