import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { withReadCache } from './read-cache.js';

function countingStorage() {
  const storage = createStorage();
  let reads = 0;
  const getItem = storage.getItem.bind(storage);
  storage.getItem = ((key: string, options?: never) => {
    reads += 1;
    return getItem(key, options);
  }) as typeof storage.getItem;
  return { storage, reads: () => reads };
}

describe('withReadCache', () => {
  it('serves repeated reads from memory and writes through', async () => {
    const { storage, reads } = countingStorage();
    const cached = withReadCache(storage, 10);
    await cached.setItem('a', { n: 1 });
    expect(await cached.getItem('a')).toEqual({ n: 1 });
    expect(await cached.getItem('a')).toEqual({ n: 1 });
    expect(reads()).toBe(0);
    expect(await storage.getItem('a')).toEqual({ n: 1 });
    await cached.removeItem('a');
    expect(await cached.getItem('a')).toBeNull();
    expect(await storage.hasItem('a')).toBe(false);
  });

  it('hands out copies, so changing what was read changes nothing stored', async () => {
    const cached = withReadCache(createStorage(), 10);
    await cached.setItem('a', { list: [1] });
    const read = (await cached.getItem('a')) as { list: number[] };
    read.list.push(2);
    expect(await cached.getItem('a')).toEqual({ list: [1] });
  });

  it('drops the least recently used entry beyond its size', async () => {
    const { storage, reads } = countingStorage();
    const cached = withReadCache(storage, 2);
    await cached.setItem('a', 1);
    await cached.setItem('b', 2);
    await cached.getItem('a'); // a is now the most recent
    await cached.setItem('c', 3); // evicts b
    await cached.getItem('a');
    expect(reads()).toBe(0);
    expect(await cached.getItem('b')).toBe(2);
    expect(reads()).toBe(1);
  });

  it('keeps nothing of a write that failed', async () => {
    const storage = createStorage();
    const cached = withReadCache(storage, 10);
    await cached.setItem('a', 'old');
    storage.setItem = (() => Promise.reject(new Error('disk full'))) as typeof storage.setItem;
    await expect(cached.setItem('a', 'new')).rejects.toThrow('disk full');
    expect(await cached.getItem('a')).toBe('old');
  });
});

describe('withReadCache peekItem', () => {
  it('returns the cached value itself, loading it once', async () => {
    const { storage, reads } = countingStorage();
    await storage.setItem('a', { n: 1 });
    const cached = withReadCache(storage, 10);
    const first = await cached.peekItem<{ n: number }>('a');
    const second = await cached.peekItem<{ n: number }>('a');
    expect(first).toEqual({ n: 1 });
    expect(second).toBe(first);
    expect(reads()).toBe(1);
    expect(await cached.peekItem('missing')).toBeNull();
  });
});
