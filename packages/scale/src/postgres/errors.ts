import { DotbaseError } from '@dotbase/core';

/**
 * Runs one database operation and turns a driver failure (connection refused, timeout, constraint) into
 * `DotbaseError('storage_error')` naming the operation, as the embedded store does; our own errors pass through.
 * The message carries the driver's message, never the connection URL (which may hold a password).
 */
export async function databaseCall<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DotbaseError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DotbaseError('storage_error', `[dotbase] [postgres] ${what} failed: ${message}`, { cause: error });
  }
}
