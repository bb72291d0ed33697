import postgres, { type Sql } from 'postgres';

export type { Sql };

export interface PostgresOptions {
  /** Connections in this instance's pool (default 10). */
  max?: number;
  /** Name shown in pg_stat_activity (default `dotbase`). */
  applicationName?: string;
}

/**
 * A connection pool on `DATABASE_URL`. int8 values (counts, sums) come back as numbers: every one dotbase stores
 * stays far below 2^53. Notices (e.g. "relation already exists, skipping") are not printed.
 *
 * @example
 * const sql = connectPostgres(process.env.DATABASE_URL!);
 */
export function connectPostgres(url: string, options: PostgresOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'dotbase' },
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
  });
}
