import { loadScalePostgres } from '../optional-deps.js';

/**
 * `dotbase migrate`: brings the PostgreSQL schema at `DATABASE_URL` up to date and exits. The server migrates at
 * start as well; this command lets a deployment migrate once, before rolling out new instances.
 */
export async function runMigrateCommand(env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const url = env['DATABASE_URL']?.trim();
  if (!url) {
    out('dotbase: DATABASE_URL is not set: there is no PostgreSQL database to migrate (the embedded store needs no migration)');
    return 2;
  }
  // loaded only here: an install without PostgreSQL never loads the driver
  const { connectPostgres, migrate } = await loadScalePostgres('dotbase migrate');
  const sql = connectPostgres(url, { max: 1, applicationName: 'dotbase migrate' });
  try {
    const { applied, version } = await migrate(sql);
    out(applied.length > 0 ? `dotbase: applied migrations ${applied.join(', ')}; schema version ${version}` : `dotbase: schema is up to date (version ${version})`);
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
