import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { createCoalescedWrites, REMOVED } from './coalesced-writes.js';
import { withReadCache } from './read-cache.js';

/** A storage whose writes wait until released, recording what each write stored. */
function gatedStorage() {
  const storage = createStorage();
  const stored: string[] = [];
  const gates: Array<() => void> = [];
  const setItem = storage.setItem.bind(storage);
  storage.setItem = (async (key: string, value: string) => {
    await new Promise<void>((release) => gates.push(release));
    stored.push(value);
    await setItem(key, value);
  }) as typeof storage.setItem;
  const releaseOne = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 1));
  };
  return { storage, stored, releaseOne, waiting: () => gates.length };
}

describe('createCoalescedWrites', () => {
  it('folds the changes that arrive during a write into one next write, and answers each caller after a write that holds its change', async () => {
    const { storage, stored, releaseOne } = gatedStorage();
    const writes = createCoalescedWrites(storage, () => undefined);
    const answered: number[] = [];
    const all = [1, 2, 3, 4, 5].map((n) => writes.write('k', { n }).then(() => answered.push(n)));
    expect(writes.pending('k')).toEqual({ value: { n: 5 } });
    await releaseOne(); // the write of {n:1}, started at once
    expect(answered).toEqual([1]);
    await releaseOne(); // one write for 2..5, with the newest value
    await Promise.all(all);
    expect(answered).toEqual([1, 2, 3, 4, 5]);
    expect(stored.map((text) => JSON.parse(text))).toEqual([{ n: 1 }, { n: 5 }]);
    expect(await storage.getItem('k')).toEqual({ n: 5 });
    expect(writes.pending('k')).toBeUndefined();
  });

  it('writes different keys side by side', async () => {
    const { storage, releaseOne, waiting } = gatedStorage();
    const writes = createCoalescedWrites(storage, () => undefined);
    const both = Promise.all([writes.write('a', 1), writes.write('b', 2)]);
    await new Promise((r) => setTimeout(r, 5));
    expect(waiting()).toBe(2);
    await releaseOne();
    await releaseOne();
    await both;
    expect(await storage.getItem('a')).toBe(1);
    expect(await storage.getItem('b')).toBe(2);
  });

  it('rejects the callers of a failed write, reports the key, and keeps serving later writes', async () => {
    const storage = createStorage();
    const setItem = storage.setItem.bind(storage);
    let fail = true;
    storage.setItem = ((key: string, value: string) => (fail ? Promise.reject(new Error('disk full')) : setItem(key, value))) as typeof storage.setItem;
    const failed: string[] = [];
    const writes = createCoalescedWrites(storage, (key) => failed.push(key));
    await expect(writes.write('k', 'one')).rejects.toThrow('disk full');
    expect(failed).toEqual(['k']);
    fail = false;
    await writes.write('k', 'two');
    expect(await storage.getItem('k')).toBe('two');
  });

  it('queues removals in order with the writes of the key', async () => {
    const writes = createCoalescedWrites(createStorage(), () => undefined);
    const storage = createStorage();
    const ordered = createCoalescedWrites(storage, () => undefined);
    await Promise.all([ordered.write('k', 'v'), ordered.write('k', REMOVED)]);
    expect(await storage.hasItem('k')).toBe(false);
    await Promise.all([ordered.write('k', REMOVED), ordered.write('k', 'back')]);
    expect(await storage.getItem('k')).toBe('back');
    await expect(writes.flushed('nothing-queued')).resolves.toBeUndefined();
  });

  it('flushed() waits for what is queued, not for writes that come later', async () => {
    const { storage, releaseOne } = gatedStorage();
    const writes = createCoalescedWrites(storage, () => undefined);
    void writes.write('k', 1);
    let flushed = false;
    const flush = writes.flushed('k').then(() => (flushed = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(flushed).toBe(false);
    await releaseOne();
    await flush;
    expect(flushed).toBe(true);
  });
});

describe('withReadCache with queued writes', () => {
  it('shows a handed-in value to readers at once, before its write is done', async () => {
    const { storage, releaseOne } = gatedStorage();
    const cached = withReadCache(storage, 10);
    const { written } = cached.putItem('k', { n: 1 });
    expect(await cached.peekItem('k')).toEqual({ n: 1 });
    expect(await storage.getItem('k')).toBeNull();
    await releaseOne();
    await written;
    expect(await storage.getItem('k')).toEqual({ n: 1 });
  });

  it('does not let a read that started before a write put the older value back into the cache', async () => {
    const storage = createStorage();
    await storage.setItem('k', 'old');
    const getItem = storage.getItem.bind(storage);
    let releaseRead: () => void = () => undefined;
    storage.getItem = (async (key: string) => {
      const value = await getItem(key);
      await new Promise<void>((release) => (releaseRead = release));
      return value;
    }) as typeof storage.getItem;
    const cached = withReadCache(storage, 10);
    const slowRead = cached.peekItem('k');
    await new Promise((r) => setTimeout(r, 5));
    await cached.setItem('k', 'new');
    releaseRead();
    expect(await slowRead).toBe('new');
    expect(await cached.peekItem('k')).toBe('new');
  });

  it('keeps the values still being written even when the cache is full', async () => {
    const { storage, releaseOne } = gatedStorage();
    const cached = withReadCache(storage, 1);
    const first = cached.putItem('a', 'A').written;
    const second = cached.putItem('b', 'B').written; // evicts a from the cache, but its write is still queued
    expect(await cached.peekItem('a')).toBe('A');
    await releaseOne();
    await releaseOne();
    await Promise.all([first, second]);
    expect(await cached.peekItem('a')).toBe('A');
  });
});
