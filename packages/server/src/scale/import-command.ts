import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { readScaleConfig, type ScaleConfig } from './config.js';
import { loadScaleImport, loadScalePostgres, loadScaleS3 } from '../optional-deps.js';
import type { ImportSummary } from '@dotbase/scale/import';

/** The whole summary in one line, as `dotbase migrate` ends with one. */
function oneLineSummary(summary: ImportSummary): string {
  const { generations, entries, files } = summary;
  const parts = [
    generations ? `${generations.imported + generations.finished} generations (${generations.present} already there)` : 'no generations (no DATABASE_URL)',
    entries ? `${entries.copied} entries (${entries.present} already there)` : 'no entries',
    files ? `${files.copied} files (${files.present} already there)` : 'no files (no DOTBASE_S3_BUCKET: they stay in the folder)',
  ];
  return `imported ${parts.join(', ')}`;
}

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * `dotbase import <data dir>`: copies an embedded data folder (what the zero-config server keeps in
 * DOTBASE_DATA_DIR) into PostgreSQL (`DATABASE_URL`: generations, upload ownership and lists) and S3
 * (`DOTBASE_S3_BUCKET`, `DOTBASE_S3_ENDPOINT`, `DOTBASE_S3_PREFIX` and the standard AWS_* variables: uploads and
 * outputs, under the same keys). Safe to run again at any point; see docs/scaling.md. Returns the exit code.
 */
export async function runImportCommand(env: Record<string, string | undefined>, args: string[], out: (line: string) => void, cwd = process.cwd()): Promise<number> {
  const say = (line: string) => out(`dotbase import: ${line}`);
  const given = args[0] ?? blank(env['DOTBASE_DATA_DIR']);
  if (!given || args.length > 1) {
    say('usage: dotbase import <data dir> (the folder the embedded server kept its data in, DOTBASE_DATA_DIR, .data by default)');
    return 2;
  }
  // the same variables, read by the same rules, as the servers that will use the target
  let scale: ScaleConfig;
  try {
    scale = readScaleConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(`refused: ${error.message}`);
    return 2;
  }
  const { databaseUrl, s3: bucketConfig } = scale;
  const bucket = bucketConfig?.bucket;
  if (!databaseUrl && !bucketConfig) {
    say('nothing to import into: set DATABASE_URL (generations, upload ownership) and DOTBASE_S3_BUCKET with DOTBASE_S3_ENDPOINT, DOTBASE_S3_PREFIX and AWS_* (files), as for the servers that will use them');
    return 2;
  }
  const dir = isAbsolute(given) ? given : resolve(cwd, given);

  // loaded only here: an install that never imports never loads these drivers
  const { openEmbeddedFolder, importEmbeddedFolder, describeSummary, NotAnEmbeddedFolderError } = await loadScaleImport();
  let folder;
  try {
    folder = openEmbeddedFolder(dir);
  } catch (error) {
    if (error instanceof NotAnEmbeddedFolderError) {
      say(`refused: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const cleanups: Array<() => Promise<void>> = [() => folder.close()];
  try {
    let sql;
    if (databaseUrl) {
      const { connectPostgres, migrate } = await loadScalePostgres('dotbase import into PostgreSQL');
      sql = connectPostgres(databaseUrl, { max: 4, applicationName: 'dotbase import' });
      const pool = sql;
      cleanups.push(() => pool.end({ timeout: 5 }));
      const { version } = await migrate(sql);
      say(`PostgreSQL schema ready (version ${version})`);
    }
    let blobs;
    if (bucketConfig) {
      const { createS3BlobStore } = await loadScaleS3('dotbase import into S3');
      // credentials and region: the AWS SDK's own chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, …)
      const store = createS3BlobStore(bucketConfig);
      cleanups.push(async () => store.close());
      blobs = store;
    }

    say(`from ${folder.dir} into ${[sql ? 'PostgreSQL' : '', blobs ? `S3 bucket ${bucket}` : ''].filter(Boolean).join(' and ')}`);
    const started = performance.now();
    const summary = await importEmbeddedFolder(folder, { ...(sql ? { sql } : {}), ...(blobs ? { blobs } : {}) }, { progress: say });
    say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const line of describeSummary(summary)) say(line);
    if (!sql) say('DATABASE_URL is not set: generations and upload ownership stay in this folder (records.lmdb)');
    if (!blobs) say(`DOTBASE_S3_BUCKET is not set: files stay in ${folder.dir}/blobs; run the server with DOTBASE_DATA_DIR=${folder.dir}`);
    const secret = await folder.secret();
    if (secret !== null && blank(env['DOTBASE_SECRET']) !== secret) {
      // the value itself is never printed: it signs sessions and embed tokens
      say(`sessions and embed tokens were signed with the secret in ${folder.dir}/secret: set DOTBASE_SECRET to its contents on every instance to keep them valid`);
    }
    out(`dotbase: ${oneLineSummary(summary)}`);
    return 0;
  } finally {
    for (const undo of cleanups.reverse()) await undo().catch(() => undefined);
  }
}
