import { type GenerationRecord } from '@dotbase/core';

/** How each field of a record is written to (`cast`, `toDb`) and read from (`fromDb`) its column. */
interface Column {
  cast: string;
  toDb: (value: unknown) => unknown;
  fromDb: (value: unknown) => unknown;
}

const same = (value: unknown) => value;
// postgres.js serialises the value itself once the server says the parameter is jsonb (stringifying here would
// store a JSON string)
const json = same;
const orNull = (value: unknown) => value ?? null;
// timestamptz keeps microseconds, so epoch milliseconds round-trip exactly through a Date
const time = (value: unknown) => (value === null ? null : new Date(value as number));
const epoch = (value: unknown) => (value === null ? null : (value as Date).getTime());

export const COLUMNS: Readonly<Record<keyof GenerationRecord, Column>> = {
  id: { cast: 'text', toDb: same, fromDb: same },
  user_id: { cast: 'text', toDb: same, fromDb: same },
  action: { cast: 'text', toDb: same, fromDb: same },
  model_id: { cast: 'text', toDb: same, fromDb: same },
  prompt: { cast: 'text', toDb: same, fromDb: same },
  settings: { cast: 'jsonb', toDb: json, fromDb: same },
  input_images: { cast: 'jsonb', toDb: json, fromDb: same },
  mask: { cast: 'text', toDb: same, fromDb: same },
  status: { cast: 'text', toDb: same, fromDb: same },
  prediction_id: { cast: 'text', toDb: same, fromDb: same },
  token_id: { cast: 'text', toDb: same, fromDb: same },
  output_keys: { cast: 'jsonb', toDb: json, fromDb: same },
  error: { cast: 'text', toDb: same, fromDb: same },
  progress: { cast: 'smallint', toDb: same, fromDb: same },
  created_at: { cast: 'timestamptz', toDb: time, fromDb: epoch },
  started_at: { cast: 'timestamptz', toDb: time, fromDb: epoch },
  completed_at: { cast: 'timestamptz', toDb: time, fromDb: epoch },
  processing_time_ms: { cast: 'bigint', toDb: same, fromDb: same },
  // optional fields (records from before webhooks and batches): absent is stored as NULL and read back as absent
  webhook: { cast: 'jsonb', toDb: orNull, fromDb: same },
  batch_id: { cast: 'text', toDb: orNull, fromDb: same },
  // when a batch item's submission began (recovery adopts its prediction instead of submitting it again)
  submit_started_at: { cast: 'timestamptz', toDb: (value) => (value === undefined ? null : time(value)), fromDb: epoch },
  // the owner's star: NOT NULL in its column (absent is false), handed out as true or not at all
  favorite: { cast: 'boolean', toDb: (value) => value === true, fromDb: (value) => (value === true ? true : null) },
};

/** Fields a record may lack: NULL in their column means the record had none. */
const OPTIONAL = new Set<keyof GenerationRecord>(['webhook', 'batch_id', 'submit_started_at', 'favorite']);

export const COLUMN_NAMES = Object.keys(COLUMNS) as (keyof GenerationRecord)[];
/** The select list, in record order. */
export const SELECT_LIST = COLUMN_NAMES.join(', ');

export function recordFromRow(row: Record<string, unknown>): GenerationRecord {
  const entries = COLUMN_NAMES.map((name) => [name, COLUMNS[name].fromDb(row[name])] as const);
  return Object.fromEntries(entries.filter(([name, value]) => !(OPTIONAL.has(name) && value === null))) as unknown as GenerationRecord;
}
