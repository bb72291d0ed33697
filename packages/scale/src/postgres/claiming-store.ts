import { randomUUID } from 'node:crypto';
import type { GenerationStore } from '@dotbase/core';
import type { Sql } from './connect.js';

export interface ClaimingStore extends GenerationStore {
  /** Stops renewing this instance's claims and gives them up, so another instance may take them at its start. */
  close(): Promise<void>;
}

/**
 * The generation store as one instance's tracking sees it: a generation it creates is claimed by it, and
 * `listUnfinished()` (what the service resumes at start) answers only the unfinished generations nobody live
 * claims, claiming them in the same statement. So an instance starting while others run does not follow (or
 * submit a second time) their generations. Claims expire unless renewed (every third of `ttlMs`): those of an
 * instance that died go to the next instance that starts. Give this only to the service; everything else (lists,
 * the active-generation count) reads the plain store.
 *
 * @example
 * const dotbase = createDotbase({ tokens, store: claimingStore(sql, store) });
 */
export function claimingStore(sql: Sql, store: GenerationStore, options: { ttlMs?: number } = {}): ClaimingStore {
  const instance = randomUUID();
  const ttlMs = options.ttlMs ?? 30_000;
  const heartbeat = setInterval(() => {
    sql`UPDATE generation_claims SET expires_at = clock_timestamp() + ${ttlMs} * interval '1 millisecond' WHERE instance = ${instance}`.catch(() => undefined);
    sql`DELETE FROM generation_claims c USING generations g
        WHERE c.generation_id = g.id AND c.instance = ${instance} AND g.status NOT IN ('pending', 'processing')`.catch(() => undefined);
  }, Math.max(10, Math.floor(ttlMs / 3)));
  heartbeat.unref();

  return {
    ...store,
    async create(record) {
      await store.create(record);
      await sql`INSERT INTO generation_claims (generation_id, instance, expires_at)
                VALUES (${record.id}, ${instance}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
                ON CONFLICT (generation_id) DO UPDATE SET instance = EXCLUDED.instance, expires_at = EXCLUDED.expires_at`;
    },
    async listUnfinished() {
      // rows locked by a concurrent claim are skipped, and the upsert re-checks the claim it would replace
      const rows = await sql`
        WITH free AS (
          SELECT g.id FROM generations g LEFT JOIN generation_claims c ON c.generation_id = g.id
          WHERE g.status IN ('pending', 'processing')
            AND (c.generation_id IS NULL OR c.expires_at < clock_timestamp() OR c.instance = ${instance})
          ORDER BY g.created_at
          FOR UPDATE OF g SKIP LOCKED
        )
        INSERT INTO generation_claims (generation_id, instance, expires_at)
        SELECT id, ${instance}, clock_timestamp() + ${ttlMs} * interval '1 millisecond' FROM free
        ON CONFLICT (generation_id) DO UPDATE SET instance = EXCLUDED.instance, expires_at = EXCLUDED.expires_at
          WHERE generation_claims.expires_at < clock_timestamp() OR generation_claims.instance = EXCLUDED.instance
        RETURNING generation_id`;
      return rows.map((row) => row['generation_id'] as string);
    },
    async close() {
      clearInterval(heartbeat);
      await sql`DELETE FROM generation_claims WHERE instance = ${instance}`.catch(() => undefined);
    },
  };
}
