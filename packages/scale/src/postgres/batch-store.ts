import { DotbaseError, type BatchItem, type BatchRecord, type BatchStore, type WebhookTarget } from '@dotbase/core';
import type { Sql } from './connect.js';
import { databaseCall } from './errors.js';

const COLUMNS = 'id, user_id, items, webhook, created_at, canceled_at';

/** Any fixed number: the advisory lock that makes one claim at a time across every instance. */
const CLAIM_LOCK = 0x62746368; // "btch"

const itemFromRow = (row: Record<string, unknown>): BatchItem => ({ id: row['generation_id'] as string, user_id: row['user_id'] as string, state: row['state'] as BatchItem['state'] });

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
 * Batches in PostgreSQL (table `batches`, see migrations.ts), for any number of instances on one database, and
 * their items' queue (`batch_items`, `batch_turns`) that every instance's scheduler shares. A claim counts the
 * slots held and picks the next item under one transaction-scoped advisory lock: counting and claiming cannot
 * interleave between instances, so the limits hold over all of them and each item is handed to one. Claims are
 * rare (one per item), so one lock costs nothing that matters. Every other change is one statement. Run
 * `migrate(sql)` first.
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

    async queueItems(userId, ids, state = 'waiting') {
      if (ids.length === 0) return;
      // in the order given (ordinality), so seq follows it; an item already queued keeps its state
      await databaseCall(`queue ${ids.length} batch items of ${userId}`, () => sql`
        INSERT INTO batch_items (generation_id, user_id, state)
        SELECT id, ${userId}, ${state} FROM unnest(${ids as string[]}::text[]) WITH ORDINALITY AS given (id, n) ORDER BY n
        ON CONFLICT (generation_id) DO NOTHING`);
    },

    async claimNextItem(limits, now, leaseMs) {
      const at = new Date(now);
      const rows = await databaseCall('claim a batch item', () =>
        sql.begin(async (tx) => {
          await tx`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`;
          return tx`
            WITH active AS (
              SELECT user_id, count(*) AS n FROM batch_items
              WHERE state = 'running' OR (state = 'claimed' AND claimed_until > ${at})
              GROUP BY user_id
            ), next AS (
              SELECT i.generation_id FROM batch_items i
              LEFT JOIN active a ON a.user_id = i.user_id
              LEFT JOIN batch_turns t ON t.user_id = i.user_id
              WHERE (i.state = 'waiting' OR (i.state = 'claimed' AND i.claimed_until <= ${at}))
                AND coalesce(a.n, 0) < ${limits.perUser}
                AND (SELECT coalesce(sum(n), 0) FROM active) < ${limits.total}
              ORDER BY coalesce(t.turn, 0), i.seq
              LIMIT 1
            ), claimed AS (
              UPDATE batch_items i SET state = 'claimed', claimed_until = ${new Date(now + leaseMs)}
              FROM next WHERE i.generation_id = next.generation_id
              RETURNING i.generation_id, i.user_id, i.state
            ), turn AS (
              INSERT INTO batch_turns (user_id, turn) SELECT user_id, nextval('batch_turn_seq') FROM claimed
              ON CONFLICT (user_id) DO UPDATE SET turn = EXCLUDED.turn
            )
            SELECT generation_id, user_id, state FROM claimed`;
        }),
      );
      return rows[0] ? itemFromRow(rows[0]) : null;
    },

    async markItemRunning(id) {
      await databaseCall(`mark batch item ${id} running`, () => sql`UPDATE batch_items SET state = 'running', claimed_until = NULL WHERE generation_id = ${id} AND state = 'claimed'`);
    },

    async finishItem(id) {
      const rows = await databaseCall(`finish batch item ${id}`, () => sql`DELETE FROM batch_items WHERE generation_id = ${id} RETURNING generation_id`);
      return rows.length > 0;
    },

    async dropItems(ids) {
      if (ids.length === 0) return [];
      const rows = await databaseCall(`drop ${ids.length} batch items`, () =>
        sql`DELETE FROM batch_items WHERE generation_id = ANY(${ids as string[]}::text[]) AND state = 'waiting' RETURNING generation_id`,
      );
      return rows.map((row) => row['generation_id'] as string);
    },

    async queuedItems() {
      const rows = await databaseCall('list queued batch items', () => sql`SELECT generation_id, user_id, state FROM batch_items ORDER BY seq`);
      return rows.map(itemFromRow);
    },
  };
}
