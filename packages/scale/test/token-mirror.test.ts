import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { mirrorTokenState } from '../src/postgres/index.js';
import { createRedisTokenPoolState } from '../src/redis/index.js';
import { postgresAvailable, redisAvailable, startRedisServer, type RedisServer } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

async function eventually(check: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!postgresAvailable() || !redisAvailable())('replicate_tokens mirrored with a Redis token-pool state', () => {
  const pg = usePostgres();
  let redisServer: RedisServer | undefined;
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await redisServer?.stop();
  });

  it("passes the operator's UPDATE to every instance and writes the pool's counters and disabling back", async () => {
    const { sql } = await pg.freshDatabase();
    redisServer ??= await startRedisServer();
    // two instances: each its own Redis connection, state and mirror
    const instances = [1, 2].map(() => {
      const redis = new Redis(redisServer!.url);
      const state = createRedisTokenPoolState(redis, { prefix: 'mirror' });
      const mirror = mirrorTokenState(sql, state, { intervalMs: 200 });
      cleanups.push(() => redis.disconnect(), () => state.close(), () => mirror.stop());
      return { state, mirror };
    });
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    await a.state.register(['tok_a', 'tok_b', 'tok_c']);
    await a.state.acquire(Date.now());
    await a.mirror.sync();
    const counts = await sql.unsafe('SELECT id, is_active, request_count, error_count, last_used_at FROM replicate_tokens ORDER BY request_count ASC;');
    expect(counts.map((r) => [r['id'], r['is_active'], r['request_count']])).toEqual([
      ['tok_b', true, 0],
      ['tok_c', true, 0],
      ['tok_a', true, 1],
    ]);

    await sql.unsafe("UPDATE replicate_tokens SET is_active = false WHERE id = 'tok_b';");
    await eventually(async () => (await b.state.get('tok_b'))?.is_active === false, 'the UPDATE reaching the Redis state');
    const picks = await Promise.all([1, 2, 3, 4].map(() => b.state.acquire(Date.now())));
    expect(picks.map((p) => (p.kind === 'leased' ? p.id : p.kind)).sort()).toEqual(['tok_a', 'tok_a', 'tok_c', 'tok_c']);

    // the pool disables a revoked token in Redis: the table follows and no instance turns it back on
    await a.state.release('tok_c', { ok: false, error: 'unauthorized: 401', countsAsError: true, disable: true }, Date.now());
    await eventually(async () => (await sql`SELECT is_active FROM replicate_tokens WHERE id = 'tok_c'`)[0]?.['is_active'] === false, 'the disabling reaching the table');
    for (let i = 0; i < 5; i++) await Promise.all([a.mirror.sync(), b.mirror.sync()]);
    expect((await a.state.get('tok_c'))?.is_active).toBe(false);
    expect((await sql`SELECT error_count, last_error FROM replicate_tokens WHERE id = 'tok_c'`)[0]).toEqual({ error_count: 1, last_error: 'unauthorized: 401' });

    // and the operator turns one back on
    await sql`UPDATE replicate_tokens SET is_active = true WHERE id = 'tok_b'`;
    await eventually(async () => (await a.state.get('tok_b'))?.is_active === true, 'the re-enabling reaching the Redis state');
  });
});
