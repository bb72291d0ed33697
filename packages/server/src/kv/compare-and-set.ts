import type { Storage } from 'unstorage';

/** The PostgreSQL kv driver's code for a lost compare-and-set (KV_CONFLICT in @dotbase/scale, loaded only with DATABASE_URL). */
const KV_CONFLICT = 'kv_conflict';

/**
 * Writes `next` only if the entry still is `previous` (null: absent) and says whether it did. A shared storage
 * that can (the PostgreSQL kv driver) checks and writes in one statement, so of two instances racing for one key
 * exactly one wins; any other storage just writes (one process: its callers hold their own in-process locks).
 *
 * @example
 * if (!(await compareAndSet(storage, key, null, expiresAt))) return false; // someone else claimed it first
 */
export async function compareAndSet(storage: Storage, key: string, previous: unknown, next: unknown): Promise<boolean> {
  try {
    await storage.setItem(key, next as never, { expect: previous ?? null });
    return true;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === KV_CONFLICT) return false;
    throw error;
  }
}
