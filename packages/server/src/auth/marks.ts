import type { Storage } from 'unstorage';
import { compareAndSet } from '../kv/compare-and-set.js';

/**
 * Keys remembered until they expire, in the server's storage (so they hold across restarts and, with a shared
 * storage, across instances): revoked session ids and used Telegram sign-ins. A key is only ever a random id or
 * a digest, never a credential. Expired entries are pruned when new ones are added.
 *
 * @example
 * const revoked = createMarks(prefixStorage(storage, 'server:revoked-sessions'));
 * await revoked.add(sid, exp * 1000);
 * await revoked.has(sid); // true until exp
 */
export function createMarks(storage: Storage, now: () => number = Date.now) {
  // Marks added by this process: `addOnce` must be atomic for two requests at the same moment; across instances
  // the storage's compare-and-set is (where it has one: the PostgreSQL kv driver).
  const local = new Map<string, number>();
  let lastPrune = 0;

  async function prune(): Promise<void> {
    const at = now();
    if (at - lastPrune < 60_000) return;
    lastPrune = at;
    for (const [key, expires] of local) if (expires <= at) local.delete(key);
    for (const key of await storage.getKeys()) {
      const expires = await storage.getItem<number>(key);
      if (typeof expires !== 'number' || expires <= at) await storage.removeItem(key);
    }
  }

  async function has(key: string): Promise<boolean> {
    const at = now();
    const known = local.get(key);
    if (known !== undefined && known > at) return true;
    const expires = await storage.getItem<number>(key);
    return typeof expires === 'number' && expires > at;
  }

  async function add(key: string, expiresAt: number): Promise<void> {
    local.set(key, expiresAt);
    await storage.setItem(key, expiresAt);
    await prune().catch(() => undefined);
  }

  return {
    has,
    add,
    /** Adds the key and answers true, or answers false when it is already there (a replay). */
    async addOnce(key: string, expiresAt: number): Promise<boolean> {
      const known = local.get(key);
      if (known !== undefined && known > now()) return false;
      local.set(key, expiresAt);
      const stored = await storage.getItem<number>(key);
      if (typeof stored === 'number' && stored > now()) return false;
      // another instance on the same storage may claim this key at this very moment: only one write succeeds
      if (!(await compareAndSet(storage, key, stored, expiresAt))) return false;
      await prune().catch(() => undefined);
      return true;
    },
  };
}

export type Marks = ReturnType<typeof createMarks>;
