import { afterAll } from 'vitest';
import { connectPostgres, migrate, type Sql } from '../src/postgres/index.js';
import { startPostgresCluster, type PostgresCluster } from '../src/testing/index.js';

/**
 * One private cluster per test file, started on first use; a fresh database per call of `freshDatabase`.
 * Everything is closed after the file's tests.
 */
export function usePostgres() {
  let cluster: Promise<PostgresCluster> | undefined;
  const pools: Sql[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((sql) => sql.end({ timeout: 1 })));
    if (cluster) await (await cluster).stop();
  });
  const started = () => (cluster ??= startPostgresCluster());
  return {
    cluster: started,
    /** A new, empty, migrated database and a pool on it. */
    async freshDatabase(options: { migrated?: boolean } = {}): Promise<{ url: string; sql: Sql }> {
      const url = await (await started()).createDatabase();
      const sql = connectPostgres(url, { max: 4 });
      pools.push(sql);
      if (options.migrated !== false) await migrate(sql);
      return { url, sql };
    },
    /** Another pool on a database, closed with the others. */
    connect(url: string, max = 4): Sql {
      const sql = connectPostgres(url, { max });
      pools.push(sql);
      return sql;
    },
  };
}
