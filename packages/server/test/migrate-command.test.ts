import { connectPostgres, MIGRATIONS } from '@dotbase/scale/postgres';
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from '@dotbase/scale/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from './cli.js';

async function migrateCli(env: Record<string, string>) {
  const cli = spawnCli(env, ['migrate']);
  const code = await cli.exited;
  return { code, out: cli.lines.join('\n'), err: cli.stderr() };
}

describe.skipIf(!postgresAvailable())('dotbase migrate', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('migrates the database at DATABASE_URL once, however many run at once, and again says it is up to date', async () => {
    const url = await cluster.createDatabase();
    const runs = await Promise.all([1, 2, 3].map(() => migrateCli({ DATABASE_URL: url })));
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    const versions = MIGRATIONS.map((migration) => migration.version);
    const newest = Math.max(...versions);
    expect(runs.filter((run) => run.out.includes(`applied migrations ${versions.join(', ')}; schema version ${newest}`))).toHaveLength(1);
    expect(runs.filter((run) => run.out.includes(`schema is up to date (version ${newest})`))).toHaveLength(2);
    const sql = connectPostgres(url, { max: 1 });
    try {
      const tables = await sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
      expect(tables.map((t) => t['tablename'])).toEqual([
        'batch_items', 'batch_turns', 'batches', 'dotbase_kv', 'dotbase_migrations', 'dotbase_rate_limits', 'dotbase_seen_once', 'dotbase_slots',
        'generation_claims', 'generation_counts', 'generation_events', 'generations', 'replicate_token_leases', 'replicate_token_uses', 'replicate_tokens',
        'webhook_outbox', 'webhook_watched',
      ]);
    } finally {
      await sql.end();
    }
  });

  it('says what is wrong without DATABASE_URL or with a database that cannot be reached', async () => {
    const missing = await migrateCli({});
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/DATABASE_URL is not set/);
    const unreachable = await migrateCli({ DATABASE_URL: `postgres://dotbase:hunter2-secret@127.0.0.1:${cluster.port}/no_such_database` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/migration failed: .*no_such_database/);
    expect(unreachable.err + unreachable.out).not.toContain('hunter2-secret');
  });
});
