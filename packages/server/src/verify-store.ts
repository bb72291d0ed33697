import { join } from 'node:path';
import { assertRecordsFileIntact, checkLmdbFile } from '@dotbase/core/node';
import type { ServerConfig } from './config.js';
import type { Logger } from './log.js';

/**
 * Verifies the embedded store before the server opens it: the header of `records.lmdb` always (cheap, and what
 * keeps a truncated file from killing the process with SIGBUS), then every key and value, read once and parsed as
 * the store reads them, unless `verifyStore` is off. A damaged file throws a `storage_error` naming the file, the
 * damaged entries and how to recover; the CLI prints it and exits 1.
 *
 * Refusing rather than repairing: LMDB keeps no checksums, so dotbase cannot tell what a damaged value held. Only
 * derived data could be rebuilt (indexes, statistics), and a damaged record cannot; dropping it silently would lose
 * a user's generation. The operator decides: restore a backup, or start anyway with the check off.
 */
export async function verifyStoreAtStart(config: Pick<ServerConfig, 'dataDir' | 'verifyStore'>, logger: Logger): Promise<void> {
  const file = join(config.dataDir, 'records.lmdb');
  checkLmdbFile(file, join(config.dataDir, 'blobs'));
  if (config.verifyStore === false) {
    logger.warn('DOTBASE_VERIFY_STORE=off: records.lmdb is not verified at start; a damaged record answers 500 storage_damaged when read', { file });
    return;
  }
  const started = performance.now();
  const { entries } = await assertRecordsFileIntact(file);
  logger.info('records.lmdb verified', { entries, ms: Math.round(performance.now() - started) });
}
