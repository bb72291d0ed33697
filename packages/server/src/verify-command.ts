import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { checkLmdbFile, verifyRecordsFile } from '@dotbase/core/node';

/** `records.lmdb` of a data folder, or the file itself when one is named (a backup before it is restored). */
function recordsFile(target: string): string {
  try {
    return statSync(target).isDirectory() ? join(target, 'records.lmdb') : target;
  } catch {
    return target;
  }
}

/**
 * `dotbase verify [data-dir | file]`: the start-time check on its own, for a cron job, or for a backup before it is
 * copied back (the server verifies at every start anyway). Prints every damaged entry; exits 0 when intact, 1 when
 * damaged or unreadable. Reads only; safe while the server runs (LMDB readers see one committed state).
 */
export async function verifyCommand(target: string | undefined, cwd: string, write: (line: string) => void): Promise<number> {
  const given = target ?? process.env.DOTBASE_DATA_DIR ?? './.data';
  const file = recordsFile(isAbsolute(given) ? given : resolve(cwd, given));
  try {
    // the header first: a truncated file would otherwise kill this process with SIGBUS when mapped
    checkLmdbFile(file);
  } catch (error) {
    write(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const { entries, damaged } = await verifyRecordsFile(file);
  if (damaged.length === 0) {
    write(`${file}: ${entries} entries, none damaged`);
    return 0;
  }
  write(`${file}: ${damaged.length} of ${entries} entries damaged:`);
  for (const { key, problem } of damaged) write(`  ${JSON.stringify(key)}: ${problem}`);
  write('Restore it from a backup (verify the backup first: dotbase verify <backup file>), or start with DOTBASE_VERIFY_STORE=off to serve the intact records.');
  return 1;
}
