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
    name: 'outgoing webhooks outbox and batches',
    sql: `
-- outgoing webhook messages: written before they are sent, kept until delivered or given up on (then for the record)
CREATE TABLE webhook_outbox (
  id text PRIMARY KEY,
  -- the order messages were enqueued in: a generation's deliveries are listed oldest first
  seq bigserial NOT NULL,
  user_id text NOT NULL,
  generation_id text NOT NULL,
  event text NOT NULL,
  url text NOT NULL,
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  created_at timestamptz NOT NULL,
  -- when a pending message is due, or (claimed) when its sender's lease ends; NULL once delivered or failed
  next_attempt_at timestamptz,
  attempts jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX webhook_outbox_generation ON webhook_outbox (generation_id, seq);

-- generations whose webhook messages may still have to be enqueued (see OutboxStore.watch)
CREATE TABLE webhook_watched (
  generation_id text PRIMARY KEY
);

CREATE TABLE batches (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  user_id text NOT NULL,
  items jsonb NOT NULL,
  webhook jsonb,
  created_at timestamptz NOT NULL,
  canceled_at timestamptz
);
CREATE INDEX batches_user ON batches (user_id, seq DESC);

-- batch items between their batch's creation and their end: waiting for a turn, claimed by an instance that is
-- submitting them (until claimed_until: a dead instance's claim runs out), or running (submitted). Finished items
-- are deleted, so this table holds only what is queued or in flight.
CREATE TABLE batch_items (
  generation_id text PRIMARY KEY,
  user_id text NOT NULL,
  seq bigserial NOT NULL,
  state text NOT NULL CHECK (state IN ('waiting', 'claimed', 'running')),
  claimed_until timestamptz
);
CREATE INDEX batch_items_queue ON batch_items (user_id, seq);

-- whose turn it is: the user served longest ago goes first
CREATE TABLE batch_turns (
  user_id text PRIMARY KEY,
  turn bigint NOT NULL
);
CREATE SEQUENCE batch_turn_seq;
`,
  },
  {
    version: 8,
    name: 'per-user limits shared by instances',
    sql: `
-- Rate limits, slots (event streams, running generations, upload turns) and seen webhook ids. UNLOGGED: they are
-- short-lived counters, cheaper without WAL; a crash of PostgreSQL empties them, which only forgives some limits.
-- Every row expires; each function reads clock_timestamp(), one clock for every instance.
CREATE UNLOGGED TABLE dotbase_rate_limits (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  at timestamptz NOT NULL,
  full_at timestamptz NOT NULL
);
CREATE INDEX dotbase_rate_limits_full_at ON dotbase_rate_limits (full_at);
CREATE UNLOGGED TABLE dotbase_slots (
  key text NOT NULL,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (key, holder)
);
CREATE INDEX dotbase_slots_expires_at ON dotbase_slots (expires_at);
CREATE UNLOGGED TABLE dotbase_seen_once (
  id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX dotbase_seen_once_expires_at ON dotbase_seen_once (expires_at);

-- A token bucket hit: 0 when allowed, else the whole seconds until it would be. The upsert locks the row, so hits
-- on one key run one after the other; a refused hit writes nothing.
CREATE FUNCTION dotbase_rate_limit_hit(p_key text, p_limit double precision, p_window_ms double precision) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  v_rate double precision := p_limit / p_window_ms;
  v_tokens double precision;
  v_at timestamptz;
  v_now timestamptz;
  v_avail double precision;
BEGIN
  INSERT INTO dotbase_rate_limits AS r (key, tokens, at, full_at) VALUES (p_key, p_limit, clock_timestamp(), clock_timestamp())
  ON CONFLICT (key) DO UPDATE SET key = r.key
  RETURNING r.tokens, r.at INTO v_tokens, v_at;
  -- read after the row lock is ours, so time never runs backwards between two hits
  v_now := clock_timestamp();
  v_avail := least(p_limit, v_tokens + greatest(0, extract(epoch FROM v_now - v_at) * 1000) * v_rate);
  IF v_avail < 1 THEN
    RETURN greatest(1, ceil((1 - v_avail) / v_rate / 1000))::integer;
  END IF;
  UPDATE dotbase_rate_limits
  SET tokens = v_avail - 1, at = v_now, full_at = v_now + ((p_limit - (v_avail - 1)) / v_rate) * interval '1 millisecond'
  WHERE key = p_key;
  RETURN 0;
END
$fn$;

-- A slot of p_key for p_holder, if fewer than p_max unexpired holders have one (or p_holder has: renewed).
-- Serialised per key by a transaction-scoped advisory lock, so count-then-insert cannot race.
CREATE FUNCTION dotbase_slot_acquire(p_key text, p_holder text, p_max integer, p_ttl_ms double precision) RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('dotbase_slots:' || p_key, 0));
  DELETE FROM dotbase_slots WHERE key = p_key AND expires_at <= clock_timestamp();
  IF EXISTS (SELECT 1 FROM dotbase_slots WHERE key = p_key AND holder = p_holder)
     OR (SELECT count(*) FROM dotbase_slots WHERE key = p_key) < p_max THEN
    INSERT INTO dotbase_slots (key, holder, expires_at) VALUES (p_key, p_holder, clock_timestamp() + p_ttl_ms * interval '1 millisecond')
    ON CONFLICT (key, holder) DO UPDATE SET expires_at = EXCLUDED.expires_at;
    RETURN true;
  END IF;
  RETURN false;
END
$fn$;
`,
  },
  {
    version: 9,
    name: 'generations: the owner\'s star (favorites)',
    sql: `
-- the owner's star; existing generations are not starred
ALTER TABLE generations ADD COLUMN favorite boolean NOT NULL DEFAULT false;

-- the favorites filter alone and with action, status or both, in list order: partial indexes hold only the
-- starred rows, so a page is an index range however many generations (starred or not) the user has
CREATE INDEX generations_user_favorite_created ON generations (user_id, created_at DESC, id DESC) WHERE favorite;
CREATE INDEX generations_user_favorite_action_created ON generations (user_id, action, created_at DESC, id DESC) WHERE favorite;
CREATE INDEX generations_user_favorite_status_created ON generations (user_id, status, created_at DESC, id DESC) WHERE favorite;
CREATE INDEX generations_user_favorite_action_status_created ON generations (user_id, action, status, created_at DESC, id DESC) WHERE favorite;

-- totals of the favorites filter from the counters too: one counter row per user, action, status and star
-- (every existing row counts unstarred generations, which is what they all are)
ALTER TABLE generation_counts ADD COLUMN favorite boolean NOT NULL DEFAULT false;
ALTER TABLE generation_counts DROP CONSTRAINT generation_counts_pkey, ADD PRIMARY KEY (user_id, action, status, favorite);

CREATE OR REPLACE FUNCTION dotbase_count_generations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.action = NEW.action AND OLD.status = NEW.status AND OLD.favorite = NEW.favorite THEN
    RETURN NULL;
  END IF;
  -- Rows are upserted in key order, so two transactions moving generations in opposite directions never wait on
  -- each other in a cycle.
  INSERT INTO generation_counts AS c (user_id, action, status, favorite, count)
  SELECT change.user_id, change.action, change.status, change.favorite, sum(change.delta)
  FROM (
    SELECT NEW.user_id, NEW.action, NEW.status, NEW.favorite, 1 WHERE TG_OP IN ('INSERT', 'UPDATE')
    UNION ALL
    SELECT OLD.user_id, OLD.action, OLD.status, OLD.favorite, -1 WHERE TG_OP IN ('UPDATE', 'DELETE')
  ) AS change (user_id, action, status, favorite, delta)
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (user_id, action, status, favorite) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END;
$$;

DROP TRIGGER generations_count ON generations;
CREATE TRIGGER generations_count AFTER INSERT OR UPDATE OF action, status, favorite OR DELETE ON generations
  FOR EACH ROW EXECUTE FUNCTION dotbase_count_generations();
`,
  },
  {
    version: 10,
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
