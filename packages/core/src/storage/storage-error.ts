import { DotbaseError } from '../errors.js';

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
    throw new DotbaseError('storage_error', `[dotbase] [storage] ${what} failed: ${message}`, { cause: error });
  }
}
