import { randomBytes } from 'node:crypto';
import { isDataRemoved } from './serialize.js';
import { TERMINAL_STATUSES, type PredictionRecord } from './types.js';

const PAGE_SIZE = 100;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Replicate-style ids: 26 lowercase base32 characters, e.g. `gm3qorzdhgbfurvjtvhg6dckhu`. */
export function newPredictionId(): string {
  const bytes = randomBytes(26);
  let id = '';
  for (const byte of bytes) id += BASE32[byte & 31];
  return id;
}

/** Which side of a known prediction a list page lies on; encoded opaquely into `next`/`previous` URLs. */
type Cursor = { before: number } | { after: number };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString());
    if (parsed && typeof parsed === 'object') {
      const { before, after } = parsed as { before?: unknown; after?: unknown };
      if (typeof before === 'number') return { before };
      if (typeof after === 'number') return { after };
    }
  } catch {
    // a malformed cursor is answered like a missing page
  }
  return undefined;
}

/** First index in `records` (ascending by seq) whose seq is >= `seq`. */
function lowerBound(records: readonly PredictionRecord[], seq: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (records[mid]!.seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface ListPage {
  records: PredictionRecord[];
  next: string | null;
  previous: string | null;
}

export interface PredictionStoreOptions {
  /** How long a finished prediction is kept after its data was removed, so late polls still see `data_removed`. */
  retentionMs: number;
  /** Hard cap on stored predictions; the oldest finished ones go first. */
  maxPredictions: number;
}

/** Predictions by id and, per token, in creation order (each token is one Replicate account). */
export class PredictionStore {
  readonly #byId = new Map<string, PredictionRecord>();
  readonly #byToken = new Map<string, PredictionRecord[]>();
  readonly #options: PredictionStoreOptions;
  #seq = 0;

  constructor(options: PredictionStoreOptions) {
    this.#options = options;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  add(record: PredictionRecord): void {
    this.#byId.set(record.id, record);
    let list = this.#byToken.get(record.token);
    if (!list) {
      list = [];
      this.#byToken.set(record.token, list);
    }
    list.push(record);
  }

  get(id: string): PredictionRecord | undefined {
    return this.#byId.get(id);
  }

  /** Another account's prediction is not found, as on Replicate. */
  getFor(token: string, id: string): PredictionRecord | undefined {
    const record = this.#byId.get(id);
    return record?.token === token ? record : undefined;
  }

  /** A page of the token's predictions, newest first; `cursorUrl` builds the `next`/`previous` links. */
  list(token: string, cursor: string | undefined, cursorUrl: (cursor: string) => string): ListPage {
    const all = this.#byToken.get(token) ?? [];
    const position = cursor === undefined ? { before: Number.MAX_SAFE_INTEGER } : decodeCursor(cursor);
    if (!position) return { records: [], next: null, previous: null };
    let start: number;
    let end: number;
    if ('before' in position) {
      end = lowerBound(all, position.before);
      start = Math.max(0, end - PAGE_SIZE);
    } else {
      start = lowerBound(all, position.after + 1);
      end = Math.min(all.length, start + PAGE_SIZE);
    }
    const records = all.slice(start, end).reverse();
    const newest = records[0];
    const oldest = records[records.length - 1];
    return {
      records,
      next: oldest && start > 0 ? cursorUrl(encodeCursor({ before: oldest.seq })) : null,
      previous: newest && end < all.length ? cursorUrl(encodeCursor({ after: newest.seq })) : null,
    };
  }

  /**
   * Frees memory: strips removed data, forgets predictions long past expiry, and enforces the cap.
   * (Outputs expire on their own in the output store.)
   */
  sweep(now: number): void {
    const forgotten = new Set<string>();
    for (const record of this.#byId.values()) {
      if (!isDataRemoved(record, now)) continue;
      record.input = {};
      record.output = null;
      record.logs = '';
      if (now >= record.expiresAt! + this.#options.retentionMs) forgotten.add(record.id);
    }
    let excess = this.#byId.size - forgotten.size - this.#options.maxPredictions;
    if (excess > 0) {
      // Map iteration follows insertion, i.e. creation order: the oldest finished predictions go first.
      for (const record of this.#byId.values()) {
        if (excess <= 0) break;
        if (TERMINAL_STATUSES.has(record.status) && !forgotten.has(record.id)) {
          forgotten.add(record.id);
          excess--;
        }
      }
    }
    if (forgotten.size === 0) return;
    for (const id of forgotten) this.#byId.delete(id);
    for (const [token, list] of this.#byToken) {
      const kept = list.filter((record) => !forgotten.has(record.id));
      if (kept.length === 0) this.#byToken.delete(token);
      else this.#byToken.set(token, kept);
    }
  }
}
