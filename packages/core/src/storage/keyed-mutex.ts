/**
 * Runs tasks for the same key one after another, within this process. The generation store's indexes are
 * read-modify-write over plain key-value storage; without this, two concurrent updates would each read the
 * same chunk and the second write would drop the first one's entry. Several processes sharing one store need
 * a backend with atomic operations instead (a lock here cannot see the other processes).
 *
 * @example
 * const withLock = createKeyedMutex();
 * await withLock('users:alice', async () => { const meta = await read(); await write({ ...meta, n: meta.n + 1 }); });
 */
export function createKeyedMutex() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      // Forget the key once nobody queued behind us, so the map does not grow with every id ever locked.
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export type KeyedMutex = ReturnType<typeof createKeyedMutex>;
