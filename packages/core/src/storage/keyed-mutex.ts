/**
 * Per-key readers-writer lock, within this process. The generation store's indexes are read-modify-write over
 * plain key-value storage: without a lock, two updates would each read the same chunk and one would drop the
 * other's entry, and a read of several keys (an index page: meta, then chunks) could see them from different
 * moments.
 * `withLock(key, task)` is exclusive; `withLock.shared(key, task)` runs beside other shared tasks of the key
 * (reads do not wait for each other, which matters when many clients poll one generation) but never beside an
 * exclusive one. Tasks run in arrival order: a read that arrives after a write waits for it and sees it.
 * Several processes sharing one store need a backend with atomic operations instead.
 *
 * @example
 * const withLock = createKeyedMutex();
 * await withLock('users:alice', async () => { const meta = await read(); await write({ ...meta, n: meta.n + 1 }); });
 * const meta = await withLock.shared('users:alice', read);
 */
export function createKeyedMutex() {
  interface ReadGroup {
    readers: number;
    finished: boolean;
    previous: Promise<void>;
    resolve: () => void;
  }
  /** The last link of each key's chain: what the next arrival waits for. Never rejects. */
  interface Tail {
    done: Promise<void>;
    group?: ReadGroup;
  }
  const tails = new Map<string, Tail>();
  const settled = () => undefined;

  async function exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key)?.done ?? Promise.resolve();
    const run = previous.then(task);
    const tail: Tail = { done: run.then(settled, settled) };
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      // Forget the key once nobody queued behind us, so the map does not grow with every id ever locked.
      if (tails.get(key) === tail) tails.delete(key);
    }
  }

  async function shared<T>(key: string, task: () => Promise<T>): Promise<T> {
    let tail = tails.get(key);
    if (!tail?.group || tail.group.finished) {
      let resolve: () => void = settled;
      const done = new Promise<void>((r) => (resolve = r));
      tail = { done, group: { readers: 0, finished: false, previous: tail?.done ?? Promise.resolve(), resolve } };
      tails.set(key, tail);
    }
    const joined = tail;
    const group = tail.group!;
    group.readers += 1;
    try {
      await group.previous;
      return await task();
    } finally {
      group.readers -= 1;
      if (group.readers === 0) {
        group.finished = true;
        group.resolve();
        if (tails.get(key) === joined) tails.delete(key);
      }
    }
  }

  return Object.assign(exclusive, { shared });
}

export type KeyedMutex = ReturnType<typeof createKeyedMutex>;
