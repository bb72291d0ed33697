import { DotbaseError } from '../errors.js';

const DAMAGED = /MDB_CORRUPTED|MDB_PAGE_NOTFOUND/;

/**
 * Runs one storage operation and turns a driver failure (disk full, permission, network) into
 * `DotbaseError('storage_error')` naming the operation, so the HTTP edge maps it like every other error.
 * Our own `DotbaseError`s pass through unchanged.
 */
export async function storageCall<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DotbaseError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // LMDB met a page it cannot follow: the file is damaged, and retrying will not help
    const code = DAMAGED.test(message) ? 'storage_damaged' : 'storage_error';
    throw new DotbaseError(code, `[dotbase] [storage] ${what} failed: ${message}`, { cause: error });
  }
}
