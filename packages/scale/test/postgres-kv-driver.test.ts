import { createStorage, prefixStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { KV_CONFLICT, postgresKvDriver } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('PostgreSQL key-value driver', () => {
  const pg = usePostgres();

  it('shares entries between instances, lists by prefix (wildcard characters taken literally) and removes', async () => {
    const { url, sql } = await pg.freshDatabase();
    const one = prefixStorage(createStorage({ driver: postgresKvDriver({ sql }) }), 'server');
    const other = prefixStorage(createStorage({ driver: postgresKvDriver({ sql: pg.connect(url) }) }), 'server');
    await one.setItem('owner:uploads/a.png', { user_id: 'alice' });
    await one.setItem('by-user:a_b:uploads/a.png', { id: 'a' });
    await one.setItem('by-user:a%b:uploads/b.png', { id: 'b' });
    await one.setItem('by-user:axb:uploads/c.png', { id: 'c' });
    expect(await other.getItem('owner:uploads/a.png')).toEqual({ user_id: 'alice' });
    expect(await other.hasItem('owner:uploads/zzz.png')).toBe(false);
    expect(await other.getKeys('by-user:a_b')).toEqual(['by-user:a_b:uploads:a.png']);
    expect(await other.getKeys('by-user:a%b')).toEqual(['by-user:a%b:uploads:b.png']);
    expect((await other.getItems(['by-user:a_b:uploads/a.png', 'nothing'])).map((entry) => entry.value)).toEqual([{ id: 'a' }, null]);
    await other.removeItem('owner:uploads/a.png');
    expect(await one.getItem('owner:uploads/a.png')).toBeNull();
    expect((await one.getKeys('')).length).toBe(3);
  });

  it('compare-and-sets with { expect }: absent (null) or an equal JSON value, else KV_CONFLICT and nothing written', async () => {
    const { sql } = await pg.freshDatabase();
    const storage = prefixStorage(createStorage({ driver: postgresKvDriver({ sql }) }), 'server');
    const conflict = (promise: Promise<unknown>) => promise.then(() => 'written', (error: { code?: string }) => error.code);
    await storage.setItem('claim', { n: 1, owner: 'a' }, { expect: null });
    expect(await conflict(storage.setItem('claim', { n: 9 }, { expect: null }))).toBe(KV_CONFLICT);
    expect(await conflict(storage.setItem('claim', { n: 9 }, { expect: { n: 2, owner: 'a' } }))).toBe(KV_CONFLICT);
    // equal as JSON whatever the key order
    expect(await conflict(storage.setItem('claim', { n: 2 }, { expect: { owner: 'a', n: 1 } }))).toBe('written');
    expect(await storage.getItem('claim')).toEqual({ n: 2 });
    // two at once from the same previous value: exactly one wins
    const results = await Promise.all([3, 4].map((n) => conflict(storage.setItem('claim', { n }, { expect: { n: 2 } }))));
    expect(results.sort()).toEqual([KV_CONFLICT, 'written']);
  });
});
