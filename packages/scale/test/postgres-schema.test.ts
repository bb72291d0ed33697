import { makeGenerationRecord } from '@dotbase/core/testing';
import { describe, expect, it } from 'vitest';
import { createPostgresGenerationStore, MIGRATIONS, migrate, type Sql } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

const HOUR = 3_600_000;

/** Buffers PostgreSQL touches to answer a query: a measure of work that does not depend on the machine's speed. */
async function buffersFor(sql: Sql, query: string, values: unknown[]): Promise<{ buffers: number; plan: string }> {
  const [row] = await sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`, values as never[]);
  const plan = (row?.['QUERY PLAN'] as [{ Plan: Record<string, unknown> }])[0].Plan;
  return { buffers: (plan['Shared Hit Blocks'] as number) + (plan['Shared Read Blocks'] as number), plan: JSON.stringify(plan) };
}

describe.skipIf(!postgresAvailable())('PostgreSQL schema', () => {
  const pg = usePostgres();

  it('migrates once however many instances start at once, and again is a no-op', async () => {
    const { url } = await pg.freshDatabase({ migrated: false });
    const instances = Array.from({ length: 6 }, () => pg.connect(url, 2));
    const reports = await Promise.all(instances.map((sql) => migrate(sql)));
    const all = MIGRATIONS.map((m) => m.version);
    // exactly one instance applied the migrations; the others waited on the lock and found nothing left
    expect(reports.filter((r) => r.applied.length > 0)).toEqual([{ applied: all, version: Math.max(...all) }]);
    expect(reports.filter((r) => r.applied.length === 0)).toHaveLength(5);
    expect(await migrate(instances[0] as Sql)).toEqual({ applied: [], version: Math.max(...all) });
    const rows = await (instances[0] as Sql)`SELECT version FROM dotbase_migrations ORDER BY version`;
    expect(rows.map((r) => r['version'])).toEqual(all);
  });

  it('applies only the migrations a database lacks, and refuses a database newer than itself', async () => {
    const { sql } = await pg.freshDatabase({ migrated: false });
    const next = { version: 1000, name: 'test column', sql: 'ALTER TABLE generations ADD COLUMN test_note text' };
    expect((await migrate(sql)).applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(sql, [...MIGRATIONS, next])).toEqual({ applied: [1000], version: 1000 });
    await expect(migrate(sql)).rejects.toThrow(/schema version 1000, newer than this dotbase knows/);
  });

  it("runs the seed's three operator statements verbatim", async () => {
    const { sql } = await pg.freshDatabase();
    const store = createPostgresGenerationStore(sql);
    const now = Date.now();
    const records = [
      makeGenerationRecord({ created_at: now - 1000, status: 'completed', processing_time_ms: 1000 }),
      makeGenerationRecord({ created_at: now - 2000, status: 'completed', processing_time_ms: 3000 }),
      makeGenerationRecord({ created_at: now - 3000, action: 'upscale', status: 'failed' }),
      makeGenerationRecord({ created_at: now - 25 * HOUR, status: 'completed', processing_time_ms: 99_000 }),
    ];
    for (const record of records) await store.create(record);
    await sql`INSERT INTO replicate_tokens (id, request_count, error_count, last_used_at) VALUES ('tok_aaaaaaaaaaaa', 7, 1, now()), ('tok_bbbbbbbbbbbb', 3, 0, NULL)`;

    const tokens = await sql.unsafe('SELECT id, is_active, request_count, error_count, last_used_at FROM replicate_tokens ORDER BY request_count ASC;');
    expect(tokens.map((t) => [t['id'], t['is_active'], t['request_count'], t['error_count'], t['last_used_at'] === null])).toEqual([
      ['tok_bbbbbbbbbbbb', true, 3, 0, true],
      ['tok_aaaaaaaaaaaa', true, 7, 1, false],
    ]);

    const stats = await sql.unsafe(
      "SELECT action, status, COUNT(*) as count, AVG(processing_time_ms) as avg_time FROM generations WHERE created_at > NOW() - INTERVAL '24 hours' GROUP BY action, status;",
    );
    expect(stats.map((r) => [r['action'], r['status'], Number(r['count']), r['avg_time'] === null ? null : Number(r['avg_time'])]).sort()).toEqual([
      ['create', 'completed', 2, 2000],
      ['upscale', 'failed', 1, null],
    ]);

    // the seed writes the id in place of <token_id>: here a token's public id, a string
    await sql.unsafe("UPDATE replicate_tokens SET is_active = false WHERE id = 'tok_aaaaaaaaaaaa';");
    expect((await sql`SELECT id FROM replicate_tokens WHERE is_active`).map((r) => r['id'])).toEqual(['tok_bbbbbbbbbbbb']);
  });

  it('stores timestamps as timestamptz and JSON fields as JSON, never a token secret', async () => {
    const { sql } = await pg.freshDatabase();
    const columns = await sql`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('generations', 'replicate_tokens')`;
    const typeOf = (table: string, column: string) => columns.find((c) => c['table_name'] === table && c['column_name'] === column)?.['data_type'];
    for (const column of ['created_at', 'started_at', 'completed_at']) expect(typeOf('generations', column)).toBe('timestamp with time zone');
    expect(typeOf('replicate_tokens', 'last_used_at')).toBe('timestamp with time zone');
    expect(columns.filter((c) => c['table_name'] === 'replicate_tokens' && /secret|token$|key/.test(c['column_name'] as string))).toEqual([]);
    const record = makeGenerationRecord({ settings: { seed: 7 }, output_keys: ['outputs/a.png'] });
    await createPostgresGenerationStore(sql).create(record);
    const [row] = await sql`SELECT jsonb_typeof(settings) AS settings, jsonb_typeof(output_keys) AS outputs, settings->>'seed' AS seed, created_at = ${new Date(record.created_at)} AS same_time FROM generations`;
    expect(row).toEqual({ settings: 'object', outputs: 'array', seed: '7', same_time: true });
  });

  it('lists a page with the same work whether a user has 1,000 or 100,000 generations', async () => {
    const { sql } = await pg.freshDatabase();
    const store = createPostgresGenerationStore(sql);
    // The filtered rows are the user's 240 oldest (failed, all actions; the rest is create/completed), so a
    // filter without its own index would walk past every newer row.
    // Rows written by SQL for speed, with the counters filled once at the end: the per-row trigger would update
    // one counter row 100,000 times in one transaction (the contract tests cover the trigger).
    const fill = (user: string, count: number) =>
      sql.begin(async (tx) => {
        await tx`SET LOCAL session_replication_role = replica`;
        await tx`
          INSERT INTO generations (id, user_id, action, model_id, status, created_at, processing_time_ms, favorite)
          SELECT ${user} || '-' || n, ${user}, CASE WHEN n <= 240 THEN (ARRAY['create','edit','upscale','remove-bg'])[1 + n % 4] ELSE 'create' END,
                 'flux-schnell', CASE WHEN n <= 240 THEN 'failed' ELSE 'completed' END,
                 timestamptz '2025-01-01' + n * interval '1 second', CASE WHEN n > 240 THEN 1000 END, n <= 240 AND n % 2 = 0
          FROM generate_series(1, ${count}) AS n`;
        await tx`INSERT INTO generation_counts (user_id, action, status, favorite, count)
                 SELECT user_id, action, status, favorite, count(*) FROM generations WHERE user_id = ${user} GROUP BY 1, 2, 3, 4`;
      });
    await fill('small', 1_000);
    await fill('large', 100_000);
    await sql`ANALYZE generations`;

    const work: Record<string, number[]> = {};
    for (const user of ['small', 'large']) {
      const page = await store.list(user, { page: 1, limit: 12, action: 'edit', status: 'failed' });
      expect(page.items).toHaveLength(12);
      expect(page.total).toBe(60);
      // the starred ones are 120 of the oldest (every second failed one): the newest first, from their own index
      const starred = await store.list(user, { page: 2, limit: 12, favorite: true });
      expect(starred.total).toBe(120);
      expect(starred.items.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `${user}-${240 - 24 - 2 * i}`));
      expect((await store.list(user, { page: 1, limit: 12, favorite: true, action: 'upscale', status: 'failed' })).total).toBe(60);
      expect((await store.list(user, { page: 2, limit: 12 })).total).toBe(user === 'small' ? 1_000 : 100_000);
      work[user] = [];
      for (const [where, values] of [
        ['user_id = $1', [user]],
        ['user_id = $1 AND status = $2', [user, 'failed']],
        ['user_id = $1 AND action = $2', [user, 'upscale']],
        ['user_id = $1 AND action = $2 AND status = $3', [user, 'edit', 'failed']],
        ['user_id = $1 AND favorite', [user]],
        ['user_id = $1 AND action = $2 AND favorite', [user, 'remove-bg']],
        ['user_id = $1 AND status = $2 AND favorite', [user, 'failed']],
        ['user_id = $1 AND action = $2 AND status = $3 AND favorite', [user, 'create', 'failed']],
      ] as const) {
        const pageCost = await buffersFor(sql, `SELECT * FROM generations WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 12`, [...values]);
        expect(pageCost.plan, where).not.toMatch(/"Seq Scan"|"Sort"/);
        const totalCost = await buffersFor(sql, `SELECT coalesce(sum(count), 0) FROM generation_counts WHERE ${where}`, [...values]);
        work[user]?.push(pageCost.buffers + totalCost.buffers);
      }
    }
    // an index descends one level deeper at most as the table grows a hundredfold
    work['large']?.forEach((buffers, i) => expect(buffers, String(i)).toBeLessThanOrEqual((work['small']?.[i] as number) + 4));
  });
});
