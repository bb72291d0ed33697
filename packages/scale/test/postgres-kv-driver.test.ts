import { createStorage, prefixStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { postgresKvDriver } from '../src/postgres/index.js';
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
});
