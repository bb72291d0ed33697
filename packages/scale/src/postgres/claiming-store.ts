import { randomUUID } from 'node:crypto';
import type { GenerationStore } from '@dotbase/core';
import type { Sql } from './connect.js';
import { createPostgresGenerationStore } from './generation-store.js';

export interface ClaimingStore extends GenerationStore {
  /** This instance's claims (leases) expire this long after their last renewal. */
  readonly ttlMs: number;
  readonly takeover: NonNullable<GenerationStore['takeover']>;
  /** Stops renewing this instance's claims and gives them up, so the running instances take them over at once. */
  close(): Promise<void>;
}

/**
 * The generation store as one instance's tracking sees it: each unfinished generation is tracked by exactly one
 * live instance, under a claim (a lease in `generation_claims`) that instance renews every third of `ttlMs`.
 * - `create` stores a generation and this instance's claim in one transaction: no other instance ever sees it
 *   unclaimed;
 * - `listUnfinished()` (what the service resumes at start) answers only the unfinished generations nobody live
 *   claims (or this instance already does), claiming them in the same statement;
 * - `takeover.claim()` (the service calls it every `takeover.intervalMs`) claims the unfinished generations whose
 *   claim expired (their instance died or stalled) or that nobody claims (an instance stopped and gave them up),
 *   so a running instance finishes them within about `ttlMs`.
 * A stalled instance that wakes up after its claims were taken may still finish a generation it follows: ending a
 * generation is one conditional update (see `UpdateCondition`), so only one of them ends it. Give this store only
 * to the service; everything else (lists, the active-generation count) reads the plain store.
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

  /** Claims unfinished generations nobody live claims (and, with `mine`, those this instance claims already). */
  async function claimFree(mine: boolean): Promise<string[]> {
    // rows locked by a concurrent claim are skipped, and the upsert re-checks the claim it would replace
    const rows = await sql`
      WITH free AS (
        SELECT g.id FROM generations g LEFT JOIN generation_claims c ON c.generation_id = g.id
        WHERE g.status IN ('pending', 'processing')
          AND (c.generation_id IS NULL OR c.expires_at < clock_timestamp() OR (${mine} AND c.instance = ${instance}))
        ORDER BY g.created_at
        FOR UPDATE OF g SKIP LOCKED
      )
      INSERT INTO generation_claims (generation_id, instance, expires_at)
      SELECT id, ${instance}, clock_timestamp() + ${ttlMs} * interval '1 millisecond' FROM free
      ON CONFLICT (generation_id) DO UPDATE SET instance = EXCLUDED.instance, expires_at = EXCLUDED.expires_at
        WHERE generation_claims.expires_at < clock_timestamp() OR generation_claims.instance = EXCLUDED.instance
      RETURNING generation_id`;
    return rows.map((row) => row['generation_id'] as string);
  }

  return {
    ...store,
    ttlMs,
    async create(record) {
      // the record and its claim in one transaction: between the two, another instance's takeover would find the
      // generation unclaimed and submit it a second time
      await sql.begin(async (tx) => {
        await createPostgresGenerationStore(tx as unknown as Sql).create(record);
        await tx`INSERT INTO generation_claims (generation_id, instance, expires_at)
                 VALUES (${record.id}, ${instance}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
                 ON CONFLICT (generation_id) DO UPDATE SET instance = EXCLUDED.instance, expires_at = EXCLUDED.expires_at`;
      });
    },
    listUnfinished: () => claimFree(true),
    takeover: {
      // a sixth of the lifetime: a dead instance's generations move within about 1.2 × ttl of its last renewal
      intervalMs: Math.max(10, Math.floor(ttlMs / 6)),
      claim: () => claimFree(false),
    },
    async close() {
      clearInterval(heartbeat);
      await sql`DELETE FROM generation_claims WHERE instance = ${instance}`.catch(() => undefined);
    },
  };
}
