import { existsSync } from 'node:fs';
import { DotbaseError } from '../../errors.js';
import { fromKeySegment } from '../key-segment.js';
import { indexChunkProblem, indexMetaProblem, storedGenerationProblem } from '../stored-shapes.js';

export interface DamagedEntry {
  /** The key as LMDB hands it back (itself possibly damaged). */
  key: string;
  problem: string;
}

export interface RecordsFileReport {
  /** Entries read. */
  entries: number;
  damaged: DamagedEntry[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const GENERATION = /^generations:gen:([^:]+)$/;
const INDEX_META = /^generations:users:[^:]+:meta$/;
const INDEX_CHUNK = /^generations:users:[^:]+:chunks:\d+$/;

function parsedJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * The problem with one value, parsed the way unstorage reads it (UTF-8, then JSON for objects and arrays; other
 * values are stored as plain text). The generation store's keys are checked against their shape too: LMDB keeps
 * no checksums, and a flipped byte inside a JSON string parses fine.
 */
function valueProblem(key: string, bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return 'the value is not valid UTF-8';
  }
  const generation = GENERATION.exec(key);
  const structured = generation !== null || INDEX_META.test(key) || INDEX_CHUNK.test(key);
  // unstorage writes objects and arrays as JSON and everything else as text (a flag, a number): a value that opens
  // like JSON, or one that must be an object or array, must parse
  const parsed = structured || text.startsWith('{') || text.startsWith('[') ? parsedJson(text) : { value: text };
  if (!parsed) return 'the value is not valid JSON';
  if (generation) {
    let id: string;
    try {
      id = fromKeySegment(generation[1] as string);
    } catch {
      return 'the key is not a valid generation key';
    }
    return storedGenerationProblem(parsed.value, id);
  }
  if (INDEX_META.test(key)) return indexMetaProblem(parsed.value);
  if (INDEX_CHUNK.test(key)) return indexChunkProblem(parsed.value);
  return undefined;
}

/**
 * Reads every key and value of the embedded store's records file once and reports the entries that are damaged:
 * a value that is not UTF-8, not the JSON it opens as, or not the shape of a generation record or index entry; a
 * key that is not text or out of LMDB's sort order (a damaged key, which lookups can no longer find); and a
 * B-tree LMDB cannot walk (the scan stops there). Run it before the store opens the file (`checkLmdbFile` first:
 * this maps the file, so it needs an intact header). A missing file reports nothing.
 *
 * @example
 * const { entries, damaged } = await verifyRecordsFile('./.data/records.lmdb');
 */
export async function verifyRecordsFile(path: string): Promise<RecordsFileReport> {
  if (!existsSync(path)) return { entries: 0, damaged: [] };
  const lmdb = await import('lmdb');
  // binary values: LMDB would otherwise decode invalid UTF-8 into U+FFFD and hide the damage
  const db = lmdb.open<Buffer, import('lmdb').Key>({ path, noSubdir: true, readOnly: true, encoding: 'binary' });
  const damaged: DamagedEntry[] = [];
  let entries = 0;
  let previous: Buffer | undefined;
  try {
    for (const { key, value } of db.getRange({})) {
      entries += 1;
      if (typeof key !== 'string') {
        damaged.push({ key: String(key), problem: 'the key is not text' });
        continue;
      }
      const keyBytes = Buffer.from(key);
      if (previous && Buffer.compare(previous, keyBytes) >= 0) damaged.push({ key, problem: 'the key is out of sort order' });
      previous = keyBytes;
      const problem = valueProblem(key, value);
      if (problem) damaged.push({ key, problem });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    damaged.push({ key: previous ? `after ${previous.toString()}` : '(the first page)', problem: `LMDB cannot read on: ${message}` });
  } finally {
    await db.close();
  }
  return { entries, damaged };
}

/**
 * `verifyRecordsFile`, throwing a `storage_error` that names the file, how many entries are damaged (the first
 * few keys) and how to recover. Returns the report when nothing is damaged.
 */
export async function assertRecordsFileIntact(path: string): Promise<RecordsFileReport> {
  const report = await verifyRecordsFile(path);
  if (report.damaged.length === 0) return report;
  const shown = report.damaged.slice(0, 5).map(({ key, problem }) => `${JSON.stringify(key)} (${problem})`);
  const more = report.damaged.length > shown.length ? `, and ${report.damaged.length - shown.length} more` : '';
  throw new DotbaseError(
    'storage_error',
    `[dotbase] [embedded-store] ${path} is damaged: ${report.damaged.length} of ${report.entries} entries cannot be read as stored: ${shown.join(', ')}${more}. ` +
      'Refusing to start so nothing is lost or overwritten. Restore it from a backup (stop the server, copy the backup over it, with its -lock file removed). ' +
      'If you have none, DOTBASE_VERIFY_STORE=off starts the server anyway: the intact records are served, and every request that meets a damaged one answers 500 storage_damaged.',
  );
}
