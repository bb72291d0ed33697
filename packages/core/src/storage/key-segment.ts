import { DotbaseError } from '../errors.js';

const SAFE = /[a-z0-9-]/;
/** Ids made only of safe characters (uuids, Telegram ids) pass unchanged; checked once instead of per character. */
const ALL_SAFE = /^[a-z0-9-]+$/;
/** File systems cap a name at 255 bytes; stay well below it, leaving room for prefixes and extensions. */
export const MAX_KEY_SEGMENT_LENGTH = 200;
const encoder = new TextEncoder();

/**
 * Turns any id into one storage key segment. unstorage reads `:` and `/` as separators, cuts keys at `?`,
 * refuses `.`/`..` segments, and the fs driver maps keys to file names, some on case-insensitive disks. So only
 * `a-z 0-9 -` pass as they are; every other UTF-8 byte becomes `_` + two hex digits (`Alice` → `_41lice`).
 * The mapping is one-to-one, and uuids and Telegram ids pass unchanged.
 */
export function keySegment(id: string): string {
  if (id.length === 0) throw new DotbaseError('invalid_input', 'ids used in storage keys must not be empty');
  if (id.length <= MAX_KEY_SEGMENT_LENGTH && ALL_SAFE.test(id)) return id;
  let out = '';
  for (const char of id) {
    if (SAFE.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  if (out.length > MAX_KEY_SEGMENT_LENGTH) {
    throw new DotbaseError('invalid_input', `id is too long for storage (${out.length} characters once encoded, at most ${MAX_KEY_SEGMENT_LENGTH})`);
  }
  return out;
}

/**
 * How many characters `keySegment(id)` has, without building it and without its length limit: for a caller that
 * must decide whether an id fits before it reaches the store (the server maps long user ids to digests).
 */
export function keySegmentLength(id: string): number {
  if (ALL_SAFE.test(id)) return id.length;
  let length = 0;
  for (const char of id) length += SAFE.test(char) ? 1 : encoder.encode(char).length * 3;
  return length;
}

/** The id `keySegment` made `segment` from: `_` + two hex digits are UTF-8 bytes, everything else is itself. */
export function fromKeySegment(segment: string): string {
  if (!segment.includes('_')) return segment;
  const bytes: number[] = [];
  for (let at = 0; at < segment.length; at++) {
    if (segment[at] === '_') {
      bytes.push(Number.parseInt(segment.slice(at + 1, at + 3), 16));
      at += 2;
    } else {
      bytes.push(segment.charCodeAt(at));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
