import { defineDriver } from 'unstorage';
import type { Sql } from './connect.js';

/**
 * The `code` of the error `setItem(key, value, { expect })` throws when the entry is no longer `expect` (a JSON
 * value; null: absent). unstorage has no atomic operation, and its options reach the driver untouched: this is how
 * the server makes a claim (a one-time sign-in, an Idempotency-Key) hold across instances. Drivers without it
 * ignore the option; one process then relies on its own locks.
 */
export const KV_CONFLICT = 'kv_conflict';

/**
 * An unstorage driver on the `dotbase_kv` table, so what the server keeps through its key-value storage (upload
 * ownership, lists of uploads, idempotency records, session revocations, used Telegram sign-ins) is shared by every
 * instance. Each call is one statement; `setItem` with `{ expect }` is a compare-and-set (KV_CONFLICT). Keys are compared in the
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
    async setItem(key, value, options?: { expect?: unknown }) {
      if (options && 'expect' in options) {
        // compare-and-set in one statement, so two instances claiming one key cannot both win (see KV_CONFLICT)
        const expected = options.expect;
        const rows =
          expected === null || expected === undefined
            ? await sql`INSERT INTO dotbase_kv (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO NOTHING RETURNING key`
            : await sql`UPDATE dotbase_kv SET value = ${value} WHERE key = ${key} AND value::jsonb = ${JSON.stringify(expected)}::text::jsonb RETURNING key`;
        if (rows.length === 0) throw Object.assign(new Error(`[dotbase] [postgres] ${key} changed meanwhile`), { code: KV_CONFLICT });
        return;
      }
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
