import { defineDriver } from 'unstorage';
import type { Sql } from './connect.js';

/**
 * An unstorage driver on the `dotbase_kv` table, so what the server keeps through its key-value storage (upload
 * ownership, lists of uploads) is shared by every instance. Each call is one statement. Keys are compared in the
 * "C" collation, so a prefix is a contiguous range of the primary key.
 *
 * @example
 * const storage = createStorage({ driver: postgresKvDriver({ sql }) });
 */
export const postgresKvDriver = defineDriver((options: { sql: Sql }) => {
  const { sql } = options;
  // a prefix range instead of LIKE, which would read % and _ in keys as wildcards
  const under = (base: string) => sql`(${base} = '' OR (key >= ${base} AND left(key, length(${base})) = ${base}))`;
  return {
    name: 'dotbase-postgres-kv',
    options,
    async hasItem(key) {
      return (await sql`SELECT 1 FROM dotbase_kv WHERE key = ${key}`).length > 0;
    },
    async getItem(key) {
      return ((await sql`SELECT value FROM dotbase_kv WHERE key = ${key}`)[0]?.['value'] as string | undefined) ?? null;
    },
    async getItems(items) {
      const keys = items.map((item) => item.key);
      const rows = await sql`SELECT key, value FROM dotbase_kv WHERE key = ANY(${keys}::text[])`;
      const byKey = new Map(rows.map((row) => [row['key'] as string, row['value'] as string]));
      return keys.map((key) => ({ key, value: byKey.get(key) ?? null }));
    },
    async setItem(key, value) {
      await sql`INSERT INTO dotbase_kv (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
    },
    async removeItem(key) {
      await sql`DELETE FROM dotbase_kv WHERE key = ${key}`;
    },
    async getKeys(base) {
      return (await sql`SELECT key FROM dotbase_kv WHERE ${under(base ?? '')} ORDER BY key`).map((row) => row['key'] as string);
    },
    async clear(base) {
      await sql`DELETE FROM dotbase_kv WHERE ${under(base ?? '')}`;
    },
  };
});
