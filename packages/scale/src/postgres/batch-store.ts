import { DotbaseError, type BatchRecord, type BatchStore, type WebhookTarget } from '@dotbase/core';
import type { Sql } from './connect.js';
import { databaseCall } from './errors.js';

const COLUMNS = 'id, user_id, items, webhook, created_at, canceled_at';

function batchFromRow(row: Record<string, unknown>): BatchRecord {
  return {
    id: row['id'] as string,
    user_id: row['user_id'] as string,
    items: row['items'] as string[],
    webhook: (row['webhook'] as WebhookTarget | null) ?? null,
    // timestamptz keeps microseconds, so epoch milliseconds round-trip exactly through a Date
    created_at: (row['created_at'] as Date).getTime(),
    canceled_at: row['canceled_at'] === null ? null : (row['canceled_at'] as Date).getTime(),
  };
}

/**
 * Batches in PostgreSQL (table `batches`, see migrations.ts), for any number of instances on one database. Every
 * change is one statement. Run `migrate(sql)` first.
 *
 * @example
 * const batches = createPostgresBatchStore(sql);
 * const dotbase = createDotbase({ tokens, storage, batches });
 */
export function createPostgresBatchStore(sql: Sql): BatchStore {
  return {
    async create(batch) {
      const rows = await databaseCall(`create batch ${batch.id}`, () => sql`
        INSERT INTO batches (id, user_id, items, webhook, created_at, canceled_at)
        VALUES (${batch.id}, ${batch.user_id}, ${sql.json(batch.items)}, ${batch.webhook === null ? null : sql.json(batch.webhook as never)},
                ${new Date(batch.created_at)}, ${batch.canceled_at === null ? null : new Date(batch.canceled_at)})
        ON CONFLICT (id) DO NOTHING
        RETURNING id`);
      if (rows.length === 0) throw new DotbaseError('conflict', `batch ${batch.id} already exists`);
    },

    async get(id) {
      const rows = await databaseCall(`read batch ${id}`, () => sql.unsafe(`SELECT ${COLUMNS} FROM batches WHERE id = $1`, [id]));
      return rows[0] ? batchFromRow(rows[0]) : null;
    },

    async list(userId, { page, limit }) {
      // a user makes few batches: counting them is one short index range
      const [rows, [count]] = await databaseCall(`list batches of ${userId}`, () =>
        sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', (tx) => [
          tx.unsafe(`SELECT ${COLUMNS} FROM batches WHERE user_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3`, [userId, limit, (page - 1) * limit]),
          tx`SELECT count(*)::int AS total FROM batches WHERE user_id = ${userId}`,
        ]),
      );
      return { items: rows.map(batchFromRow), total: Number(count?.['total'] ?? 0) };
    },

    async markCanceled(id, at) {
      // the first cancel sets the time; a later one changes nothing and reads the batch as it is
      const rows = await databaseCall(`cancel batch ${id}`, () => sql.unsafe(
        `UPDATE batches SET canceled_at = coalesce(canceled_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, new Date(at)] as never[],
      ));
      return rows[0] ? batchFromRow(rows[0]) : null;
    },
  };
}
