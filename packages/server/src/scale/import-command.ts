import { isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { DotbaseError, type GenerationRecord } from '@dotbase/core';
import { fsStorage } from '@dotbase/core/node';
import { createStorage } from 'unstorage';
import { readScaleConfig } from './config.js';

export interface ImportCounts {
  generations: { imported: number; present: number };
  entries: { imported: number; present: number };
  files: { imported: number; present: number; left: number };
}

/** unstorage lists keys with `:` for `/`; blob keys have no `:` of their own (see core's blob-keys.ts). */
const blobKeyOf = (listed: string) => listed.slice('blobs:'.length).replaceAll(':', '/');

/**
 * `dotbase import <data dir>`: copies an embedded data folder (generation records, the server's entries such as
 * upload ownership, and with S3 the files) into the PostgreSQL database at `DATABASE_URL` and the S3 bucket, under
 * the same ids and keys, so every generation and file stays reachable. Whatever is already there is left as it
 * is, so the command can run again after an interruption and finishes the rest. Stop the embedded server first
 * (the folder's LMDB file is opened here).
 */
export async function runImportCommand(env: Record<string, string | undefined>, args: string[], out: (line: string) => void, cwd = process.cwd()): Promise<number> {
  const folder = args[0];
  if (!folder) {
    out('usage: dotbase import <data dir>   (with DATABASE_URL, and DOTBASE_S3_BUCKET to move the files too)');
    return 2;
  }
  const dir = isAbsolute(folder) ? folder : resolve(cwd, folder);
  if (!existsSync(`${dir}/records.lmdb`)) {
    out(`dotbase: ${dir} holds no records.lmdb: not an embedded data folder`);
    return 2;
  }
  const scale = readScaleConfig(env);
  if (!scale.databaseUrl) {
    out('dotbase: DATABASE_URL is not set: there is nowhere to import to');
    return 2;
  }
  const counts = await importFolder(dir, scale, out);
  out(
    `dotbase: imported ${counts.generations.imported} generations (${counts.generations.present} already there), ` +
      `${counts.entries.imported} entries (${counts.entries.present} already there), ` +
      `${counts.files.imported} files (${counts.files.present} already there${counts.files.left ? `, ${counts.files.left} left in the folder: no DOTBASE_S3_BUCKET` : ''})`,
  );
  return 0;
}

async function importFolder(dir: string, scale: ReturnType<typeof readScaleConfig>, out: (line: string) => void): Promise<ImportCounts> {
  const counts: ImportCounts = { generations: { imported: 0, present: 0 }, entries: { imported: 0, present: 0 }, files: { imported: 0, present: 0, left: 0 } };
  const postgres = await import('@dotbase/scale/postgres');
  const sql = postgres.connectPostgres(scale.databaseUrl as string, { max: 4, applicationName: 'dotbase import' });
  const source = fsStorage(dir);
  const s3 = scale.s3 ? (await import('@dotbase/scale/s3')).createS3BlobStore(scale.s3) : undefined;
  try {
    await postgres.migrate(sql);
    const store = postgres.createPostgresGenerationStore(sql);
    for (const key of await source.getKeys('generations:gen')) {
      const stored = await source.getItem<{ record: GenerationRecord }>(key);
      if (!stored?.record) continue;
      try {
        await store.create(stored.record);
        counts.generations.imported += 1;
      } catch (error) {
        if (!(error instanceof DotbaseError && error.code === 'conflict')) throw error;
        counts.generations.present += 1;
      }
    }
    const target = createStorage({ driver: postgres.postgresKvDriver({ sql }) });
    for (const key of await source.getKeys('server')) {
      if (await target.hasItem(key)) {
        counts.entries.present += 1;
        continue;
      }
      await target.setItem(key, await source.getItem(key));
      counts.entries.imported += 1;
    }
    for (const listed of await source.getKeys('blobs')) {
      if (!s3) {
        counts.files.left += 1;
        continue;
      }
      const key = blobKeyOf(listed);
      if (await s3.has(key)) {
        counts.files.present += 1;
        continue;
      }
      const raw = await source.getItemRaw(listed);
      if (!(raw instanceof Uint8Array)) continue;
      await s3.putAt(key, raw);
      counts.files.imported += 1;
      if (counts.files.imported % 500 === 0) out(`dotbase: ${counts.files.imported} files copied…`);
    }
    return counts;
  } finally {
    s3?.close();
    await source.dispose();
    await sql.end({ timeout: 5 });
  }
}
