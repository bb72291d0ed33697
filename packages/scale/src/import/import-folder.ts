import { checkGenerationRecord, type GenerationRecord } from '@dotbase/core';
import type { Sql } from '../postgres/connect.js';
import { COLUMN_NAMES, COLUMNS, SELECT_LIST } from '../postgres/generation-rows.js';
import type { S3BlobStore } from '../s3/blob-store.js';
import type { EmbeddedFolder } from './embedded-folder.js';
import { importWebhooksAndBatches, tableEntryOf } from './webhooks-and-batches.js';

export interface ImportTargets {
  /** A migrated PostgreSQL database: generations and the server's key-value entries go here (else they stay). */
  sql?: Sql;
  /** An S3 blob store: the folder's images go here under the same keys (else they stay in `dir/blobs`). */
  blobs?: Pick<S3BlobStore, 'has' | 'putAt'>;
}

export interface ImportSummary {
  files: { copied: number; present: number; skipped: number } | null;
  entries: { copied: number; present: number } | null;
  generations: { imported: number; finished: number; present: number; conflicts: number; invalid: number } | null;
}

export interface ImportOptions {
  /** One line per step of progress (about every tenth of each phase) and one per phase's end. */
  progress?: (line: string) => void;
  /** Items per database transaction and per round of concurrent uploads (default 200). */
  batchSize?: number;
  /** Uploads to S3 at once (default 8). */
  concurrency?: number;
}

const UNFINISHED = `('pending', 'processing')`;

/**
 * One generation, inserted unless its id is there. A row already in PostgreSQL is the truth once the new
 * instances run, so it is left alone, with one exception: a generation still unfinished there that has finished in
 * the folder since the last import (the old server kept running) takes the folder's final state. Owner never changes.
 */
const UPSERT = (() => {
  const placeholders = COLUMN_NAMES.map((name, i) => `$${i + 1}::${COLUMNS[name].cast}`).join(', ');
  const assignments = COLUMN_NAMES.filter((name) => name !== 'id' && name !== 'user_id' && name !== 'created_at')
    .map((name) => `${name} = EXCLUDED.${name}`)
    .join(', ');
  return `INSERT INTO generations AS g (${SELECT_LIST}) VALUES (${placeholders})
    ON CONFLICT (id) DO UPDATE SET ${assignments}
    WHERE g.user_id = EXCLUDED.user_id AND g.status IN ${UNFINISHED} AND EXCLUDED.status NOT IN ${UNFINISHED}
    RETURNING (xmax = 0) AS inserted`;
})();

/** Calls `report(done)` about ten times over a phase, and at its end. */
function stepper(total: number, report: (done: number) => void) {
  const step = Math.max(1, Math.ceil(total / 10));
  let next = step;
  return (done: number) => {
    if (done >= next || done === total) {
      report(done);
      while (next <= done) next += step;
    }
  };
}

async function inBatches<T>(items: readonly T[], size: number, each: (batch: readonly T[], doneBefore: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await each(items.slice(start, start + size), start);
}

/**
 * Copies an embedded data folder into PostgreSQL and S3: images first (under their own keys, so records and file
 * URLs stay valid), then the server's key-value entries (upload ownership and lists), then generations, so nothing
 * in the target ever points at something not yet copied. Idempotent and resumable without a progress marker:
 * every write is an upsert that leaves what is there alone, so a second run copies nothing and a run killed
 * half-way, run again, completes. Each phase runs only when its target is given.
 *
 * @example
 * const summary = await importEmbeddedFolder(openEmbeddedFolder('./.data'), { sql, blobs }, { progress: console.log });
 */
export async function importEmbeddedFolder(folder: EmbeddedFolder, targets: ImportTargets, options: ImportOptions = {}): Promise<ImportSummary> {
  const progress = options.progress ?? (() => {});
  const batchSize = options.batchSize ?? 200;
  const concurrency = options.concurrency ?? 8;
  const summary: ImportSummary = { files: null, entries: null, generations: null };

  if (targets.blobs) {
    const blobs = targets.blobs;
    const { blobs: files, strays } = await folder.blobs();
    for (const stray of strays) progress(`files: skipped blobs/${stray} (not a dotbase image key)`);
    const counts = { copied: 0, present: 0, skipped: strays.length };
    const step = stepper(files.length, (done) => progress(`files ${done}/${files.length}`));
    await inBatches(files, concurrency, async (batch, before) => {
      await Promise.all(
        batch.map(async (file) => {
          // S3 writes an object whole or not at all, so one that exists is complete
          if (await blobs.has(file.key)) {
            counts.present += 1;
            return;
          }
          await blobs.putAt(file.key, await folder.readBlob(file));
          counts.copied += 1;
        }),
      );
      step(before + batch.length);
    });
    summary.files = counts;
  }

  if (targets.sql) {
    const sql = targets.sql;
    const keys = await folder.keyValueKeys();
    const counts = { copied: 0, present: 0 };
    const step = stepper(keys.length, (done) => progress(`key-value entries ${done}/${keys.length}`));
    await inBatches(keys, batchSize, async (batch, before) => {
      const values = await Promise.all(batch.map((key) => folder.keyValue(key)));
      const entries = batch.flatMap((key, i) => (values[i] === null ? [] : [{ key, value: values[i] as string }]));
      // the outbox and batches have tables of their own (their index keys are not copied at all)
      const rows = entries.filter((entry) => tableEntryOf(entry.key) === null);
      const tabled = await importWebhooksAndBatches(sql, entries);
      counts.copied += tabled.copied;
      counts.present += tabled.present;
      if (rows.length > 0) {
        const inserted = await sql`INSERT INTO dotbase_kv ${sql(rows, 'key', 'value')} ON CONFLICT (key) DO NOTHING RETURNING key`;
        counts.copied += inserted.length;
        counts.present += rows.length - inserted.length;
      }
      step(before + batch.length);
    });
    summary.entries = counts;

    const generationKeys = await folder.generationKeys();
    const generations = { imported: 0, finished: 0, present: 0, conflicts: 0, invalid: 0 };
    const stepGenerations = stepper(generationKeys.length, (done) => progress(`generations ${done}/${generationKeys.length}`));
    await inBatches(generationKeys, batchSize, async (batch, before) => {
      const records: GenerationRecord[] = [];
      for (const record of await Promise.all(batch.map((key) => folder.generation(key)))) {
        try {
          if (record === null) throw new Error('not a generation record');
          checkGenerationRecord(record);
          records.push(record);
        } catch {
          generations.invalid += 1;
        }
      }
      const results = await sql.begin((tx) =>
        Promise.all(records.map((record) => tx.unsafe(UPSERT, COLUMN_NAMES.map((name) => COLUMNS[name].toDb(record[name])) as never[]))),
      );
      const untouched: GenerationRecord[] = [];
      results.forEach((rows, i) => {
        const row = rows[0];
        if (!row) untouched.push(records[i] as GenerationRecord);
        else if (row['inserted']) generations.imported += 1;
        else generations.finished += 1;
      });
      if (untouched.length > 0) {
        // a row left alone is the same generation, or (never with uuids, but said if it happens) another user's
        const owners = new Map(
          (await sql`SELECT id, user_id FROM generations WHERE id = ANY(${untouched.map((record) => record.id)}::text[])`).map((row) => [row['id'] as string, row['user_id'] as string]),
        );
        for (const record of untouched) {
          if (owners.get(record.id) === record.user_id) generations.present += 1;
          else generations.conflicts += 1;
        }
      }
      stepGenerations(before + batch.length);
    });
    summary.generations = generations;
  }
  return summary;
}

/**
 * The summary in a few lines for a person, one per phase that ran.
 *
 * @example
 * describeSummary(summary); // ['files: 310 copied, 0 already there', 'key-value entries …', 'generations: 2200 imported, …']
 */
export function describeSummary(summary: ImportSummary): string[] {
  const lines: string[] = [];
  if (summary.files) {
    const { copied, present, skipped } = summary.files;
    lines.push(`files: ${copied} copied, ${present} already there${skipped ? `, ${skipped} skipped (not dotbase images)` : ''}`);
  }
  if (summary.entries) lines.push(`key-value entries (upload ownership and lists): ${summary.entries.copied} copied, ${summary.entries.present} already there`);
  if (summary.generations) {
    const { imported, finished, present, conflicts, invalid } = summary.generations;
    lines.push(
      `generations: ${imported} imported, ${finished} updated (finished since the last import), ${present} already there` +
        `${conflicts ? `, ${conflicts} left alone (the id belongs to another user there)` : ''}${invalid ? `, ${invalid} skipped (unreadable records)` : ''}`,
    );
  }
  return lines;
}
