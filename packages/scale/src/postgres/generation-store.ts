import { ACTIONS, checkGenerationRecord, checkListQuery, DotbaseError, GENERATION_STATUSES, type GenerationRecord, type GenerationStore, type ListQuery, type StatsRow, type UpdateCondition } from '@dotbase/core';
import type { Sql } from './connect.js';
import { databaseCall } from './errors.js';
import { readActivity, readUsers } from './generation-activity.js';
import { COLUMN_NAMES, COLUMNS, SELECT_LIST, recordFromRow } from './generation-rows.js';

type Patch = Parameters<GenerationStore['update']>[1];

/** Fields a patch may never change, whatever it says at runtime. */
const FIXED = new Set<string>(['id', 'user_id', 'created_at']);

/** The WHERE terms of a condition, its values appended to `values`. */
function conditionSql(condition: UpdateCondition | undefined, values: unknown[]): string[] {
  if (!condition) return [];
  const terms: string[] = [];
  if (condition.status) terms.push(`status = ANY($${values.push([...condition.status])}::text[])`);
  for (const field of condition.unset ?? []) {
    // the column name comes from the record's own field list, never from the caller's text
    if (!(field in COLUMNS) || FIXED.has(field)) throw new DotbaseError('invalid_input', `cannot condition on ${JSON.stringify(field)}`);
    terms.push(`${field} IS NULL`);
  }
  return terms;
}

const byActionThenStatus = (a: StatsRow, b: StatsRow) =>
  ACTIONS.indexOf(a.action) - ACTIONS.indexOf(b.action) || GENERATION_STATUSES.indexOf(a.status) - GENERATION_STATUSES.indexOf(b.status);

/**
 * Generations in PostgreSQL (table `generations`, see migrations.ts), for any number of instances on one
 * database. Every change is one statement, atomic on its own; list totals come from `generation_counts`, kept by
 * a trigger in the same transaction, so a page costs one index range and one read of at most 20 counter rows
 * whether the user has 100 or 100,000 generations. Records handed out are fresh objects from each query.
 * Run `migrate(sql)` first (the server does at start).
 *
 * @example
 * const sql = connectPostgres(process.env.DATABASE_URL!);
 * await migrate(sql);
 * const store = createPostgresGenerationStore(sql);
 */
export function createPostgresGenerationStore(sql: Sql): GenerationStore {
  return {
    async create(record) {
      checkGenerationRecord(record, true);
      const values = COLUMN_NAMES.map((name) => COLUMNS[name].toDb(record[name]));
      const placeholders = COLUMN_NAMES.map((name, i) => `$${i + 1}::${COLUMNS[name].cast}`).join(', ');
      const rows = await databaseCall(`create generation ${record.id}`, () =>
        sql.unsafe(`INSERT INTO generations (${SELECT_LIST}) VALUES (${placeholders}) ON CONFLICT (id) DO NOTHING RETURNING id`, values as never[]),
      );
      if (rows.length === 0) throw new DotbaseError('conflict', `generation ${record.id} already exists`);
    },

    async get(id) {
      const rows = await databaseCall(`read generation ${id}`, () => sql.unsafe(`SELECT ${SELECT_LIST} FROM generations WHERE id = $1`, [id]));
      return rows[0] ? recordFromRow(rows[0]) : null;
    },

    async update(id, patch: Patch, condition?: UpdateCondition) {
      const fields = (Object.keys(patch) as (keyof GenerationRecord)[]).filter(
        (name) => name in COLUMNS && !FIXED.has(name) && (patch as Record<string, unknown>)[name] !== undefined,
      );
      checkGenerationRecord(patch as Partial<GenerationRecord>, false);
      const values: unknown[] = [id, ...fields.map((name) => COLUMNS[name].toDb((patch as Record<string, unknown>)[name]))];
      const where = ['id = $1', ...conditionSql(condition, values)].join(' AND ');
      if (fields.length === 0) {
        const rows = await databaseCall(`read generation ${id}`, () => sql.unsafe(`SELECT ${SELECT_LIST} FROM generations WHERE ${where}`, values as never[]));
        return rows[0] ? recordFromRow(rows[0]) : null;
      }
      const assignments = fields.map((name, i) => `${name} = $${i + 2}::${COLUMNS[name].cast}`).join(', ');
      // One statement: a concurrent update of the row waits for this one's row lock and then re-checks the WHERE
      // against the row as this one left it, so of racing conditional updates only those still matching apply.
      const rows = await databaseCall(`update generation ${id}`, () =>
        sql.unsafe(`UPDATE generations SET ${assignments} WHERE ${where} RETURNING ${SELECT_LIST}`, values as never[]),
      );
      return rows[0] ? recordFromRow(rows[0]) : null;
    },

    async setFavorite(id, favorite) {
      if (typeof favorite !== 'boolean') throw new DotbaseError('invalid_input', 'favorite must be a boolean');
      // the counters follow in the same transaction (the trigger)
      const rows = await databaseCall(`star generation ${id}`, () => sql.unsafe(`UPDATE generations SET favorite = $2 WHERE id = $1 RETURNING ${SELECT_LIST}`, [id, favorite]));
      return rows[0] ? recordFromRow(rows[0]) : null;
    },

    async delete(id) {
      const rows = await databaseCall(`delete generation ${id}`, () => sql`DELETE FROM generations WHERE id = ${id} RETURNING id`);
      return rows.length > 0;
    },

    async list(userId, query) {
      checkListQuery(query);
      const conditions = ['user_id = $1'];
      const values: unknown[] = [userId];
      if (query.action) conditions.push(`action = $${values.push(query.action)}`);
      if (query.status) conditions.push(`status = $${values.push(query.status)}`);
      // a literal condition (no parameter), so the planner can pick the partial indexes of starred rows
      if (query.favorite) conditions.push('favorite');
      const where = conditions.join(' AND ');
      const filterValues = values.slice();
      const limit = `$${values.push(query.limit)}`;
      const offset = `$${values.push((query.page - 1) * query.limit)}`;
      // the page and its total in one round trip, both from one snapshot
      const rows = await databaseCall(`list generations of ${userId}`, () =>
        sql.unsafe(
          `SELECT ${SELECT_LIST}, (SELECT coalesce(sum(count), 0) FROM generation_counts WHERE ${where}) AS total
           FROM generations WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit}::bigint OFFSET ${offset}::bigint`,
          values as never[],
        ),
      );
      if (rows.length > 0) return { items: rows.map(recordFromRow), total: Number(rows[0]?.['total']) };
      // past the last page (or no generations): the total alone
      const [count] = await databaseCall(`count generations of ${userId}`, () =>
        sql.unsafe(`SELECT coalesce(sum(count), 0) AS total FROM generation_counts WHERE ${where}`, filterValues as never[]),
      );
      return { items: [], total: Number(count?.['total'] ?? 0) };
    },

    async listUnfinished() {
      const rows = await databaseCall('list unfinished generations', () => sql`SELECT id FROM generations WHERE status IN ('pending', 'processing') ORDER BY created_at`);
      return rows.map((row) => row['id'] as string);
    },

    async stats(since) {
      const rows = await databaseCall('read statistics', () =>
        sql`SELECT action, status, count(*)::int AS count, avg(processing_time_ms)::float8 AS avg
            FROM generations WHERE created_at >= ${new Date(since)} GROUP BY action, status`,
      );
      return rows
        .map((row) => ({ action: row['action'], status: row['status'], count: row['count'] as number, avg_processing_time_ms: (row['avg'] as number | null) ?? null }) as StatsRow)
        .sort(byActionThenStatus);
    },

    activity: (since) => readActivity(sql, since),

    users: () => readUsers(sql),

    // No reconcile: a create, update or delete and its generation_counts change commit in one transaction (the
    // trigger), so a crash cannot leave an index entry without its record, which is what reconcile repairs.
  };
}
