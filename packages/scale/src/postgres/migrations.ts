import type { Sql } from './connect.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * dotbase's schema, one version after another; a released migration never changes (add a new one). Names are the
 * seed's (Supabase) where they mean the same thing, so its operator SQL runs verbatim: `generations` with
 * `action`, `status`, `processing_time_ms`, `created_at timestamptz`; `replicate_tokens` with `id`, `is_active`,
 * `request_count`, `error_count`, `last_used_at`. A token's secret is never stored: `id` is its public id, a hash
 * prefix (`tok_…`).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'generations and replicate_tokens',
    sql: `
CREATE TABLE generations (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  action text NOT NULL,
  model_id text NOT NULL,
  prompt text,
  settings jsonb NOT NULL DEFAULT '{}',
  input_images jsonb NOT NULL DEFAULT '[]',
  mask text,
  status text NOT NULL,
  prediction_id text,
  token_id text,
  output_keys jsonb NOT NULL DEFAULT '[]',
  error text,
  progress smallint,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  completed_at timestamptz,
  processing_time_ms bigint
);
-- one index per list filter (none, action, status, both), each in list order, so a page is an index range
-- however many generations the user has
CREATE INDEX generations_user_created ON generations (user_id, created_at DESC, id DESC);
CREATE INDEX generations_user_action_created ON generations (user_id, action, created_at DESC, id DESC);
CREATE INDEX generations_user_status_created ON generations (user_id, status, created_at DESC, id DESC);
CREATE INDEX generations_user_action_status_created ON generations (user_id, action, status, created_at DESC, id DESC);
CREATE INDEX generations_unfinished ON generations (created_at) WHERE status IN ('pending', 'processing');
CREATE INDEX generations_created ON generations (created_at);

-- List totals without counting rows: at most 4 actions x 5 statuses rows per user, kept by a trigger in the
-- transaction that changes the generation.
CREATE TABLE generation_counts (
  user_id text NOT NULL,
  action text NOT NULL,
  status text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (user_id, action, status)
);

CREATE FUNCTION dotbase_count_generations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.action = NEW.action AND OLD.status = NEW.status THEN
    RETURN NULL;
  END IF;
  -- Rows are upserted in key order, so two transactions moving generations in opposite directions never wait on
  -- each other in a cycle.
  INSERT INTO generation_counts AS c (user_id, action, status, count)
  SELECT change.user_id, change.action, change.status, sum(change.delta)
  FROM (
    SELECT NEW.user_id, NEW.action, NEW.status, 1 WHERE TG_OP IN ('INSERT', 'UPDATE')
    UNION ALL
    SELECT OLD.user_id, OLD.action, OLD.status, -1 WHERE TG_OP IN ('UPDATE', 'DELETE')
  ) AS change (user_id, action, status, delta)
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (user_id, action, status) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END;
$$;

CREATE TRIGGER generations_count AFTER INSERT OR UPDATE OF action, status OR DELETE ON generations
  FOR EACH ROW EXECUTE FUNCTION dotbase_count_generations();

CREATE TABLE replicate_tokens (
  id text PRIMARY KEY,
  is_active boolean NOT NULL DEFAULT true,
  request_count bigint NOT NULL DEFAULT 0,
  error_count bigint NOT NULL DEFAULT 0,
  last_used_at timestamptz,
  last_error text,
  cooldown_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: 'token-pool state: leases and budget windows',
    sql: `
-- the order of acquires, for "least recently used" even within one millisecond
ALTER TABLE replicate_tokens ADD COLUMN use_seq bigint NOT NULL DEFAULT 0;
CREATE SEQUENCE replicate_token_use_seq;

-- in_flight = a token's unexpired leases; an instance renews its own, and those of a dead instance expire
CREATE TABLE replicate_token_leases (
  lease text PRIMARY KEY,
  token_id text NOT NULL REFERENCES replicate_tokens (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX replicate_token_leases_token ON replicate_token_leases (token_id, expires_at);

-- acquire times inside the budget window (a sliding-window log)
CREATE TABLE replicate_token_uses (
  token_id text NOT NULL REFERENCES replicate_tokens (id) ON DELETE CASCADE,
  used_at timestamptz NOT NULL
);
CREATE INDEX replicate_token_uses_token ON replicate_token_uses (token_id, used_at);
`,
  },
  {
    version: 3,
    name: 'key-value entries of the server (upload ownership and the like)',
    sql: `
-- what the server keeps beside generations through its key-value storage (unstorage keys, JSON values)
CREATE TABLE dotbase_kv (
  key text PRIMARY KEY COLLATE "C",
  value text NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'which instance tracks each unfinished generation',
    sql: `
CREATE TABLE generation_claims (
  generation_id text PRIMARY KEY REFERENCES generations (id) ON DELETE CASCADE,
  instance text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX generation_claims_instance ON generation_claims (instance);
`,
  },
  {
    version: 5,
    name: 'generations: webhook target and batch id',
    sql: `
-- a caller's webhook target ({ url, events_filter }) and the batch a generation belongs to; NULL: none
ALTER TABLE generations ADD COLUMN webhook jsonb, ADD COLUMN batch_id text;
`,
  },
  {
    version: 6,
    name: 'generations: when a batch item began submitting',
    sql: `
-- set before a held batch item's prediction is created, so crash recovery looks for it before submitting again
ALTER TABLE generations ADD COLUMN submit_started_at timestamptz;
`,
  },
  {
    version: 7,
    name: 'generation_events: numbered changes for event stream resumes',
    sql: `
-- each generation's changes, numbered 1, 2, 3, … in the order they were committed: the ids of its live events, so a
-- client reconnecting to any instance with Last-Event-ID gets what it missed. Kept for an hour (the relay prunes).
CREATE TABLE IF NOT EXISTS generation_events (
  generation_id text NOT NULL,
  seq integer NOT NULL,
  record jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (generation_id, seq)
);
CREATE INDEX IF NOT EXISTS generation_events_created_at ON generation_events (created_at);
`,
  },
];

/** Any fixed number: the key of the advisory lock that lets one instance migrate while the others wait. */
const MIGRATION_LOCK = 0x646f7462; // "dotb"

export interface MigrationReport {
  /** Versions this call applied (empty when the schema was up to date). */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

/**
 * Brings the schema up to date: every migration not yet recorded in `dotbase_migrations`, in order, in one
 * transaction under an advisory lock, so instances starting at once apply each migration exactly once (the others
 * wait, then find nothing left to do). Idempotent. Refuses a database migrated by a newer dotbase.
 *
 * @example
 * const { applied } = await migrate(sql);
 */
export async function migrate(sql: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS dotbase_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set((await tx<{ version: number }[]>`SELECT version FROM dotbase_migrations`).map((row) => row.version));
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    const ahead = [...done].filter((version) => version > newest);
    if (ahead.length > 0) {
      throw new Error(`[dotbase] [postgres] the database has schema version ${Math.max(...ahead)}, newer than this dotbase knows (${newest}): upgrade dotbase`);
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO dotbase_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    }
    return { applied, version: newest };
  });
}
