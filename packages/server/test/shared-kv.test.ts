import { connectPostgres, migrate, postgresKvDriver, type Sql } from '@dotbase/scale/postgres';
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from '@dotbase/scale/testing';
import { createStorage, prefixStorage, type Storage } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarks } from '../src/auth/marks.js';
import { HttpError } from '../src/http/errors.js';
import { createIdempotency, requestFingerprint } from '../src/http/idempotency.js';

/**
 * What the server keeps in its key-value storage, on the PostgreSQL kv driver (DATABASE_URL), seen by two
 * instances: each "instance" here is its own pool and its own server objects, so nothing is shared but the database.
 */
describe.skipIf(!postgresAvailable())('server key-value entries shared by instances on PostgreSQL', () => {
  let cluster: PostgresCluster;
  const pools: Sql[] = [];
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await Promise.all(pools.map((sql) => sql.end({ timeout: 1 })));
    await cluster?.stop();
  });

  /** Two instances' storages on one fresh database, as the server builds them (prefix `server`). */
  async function twoInstances(): Promise<[Storage, Storage]> {
    const url = await cluster.createDatabase();
    const open = () => {
      const sql = connectPostgres(url, { max: 4 });
      pools.push(sql);
      return prefixStorage(createStorage({ driver: postgresKvDriver({ sql }) }), 'server');
    };
    const first = open();
    await migrate(pools[pools.length - 1] as Sql);
    return [first, open()];
  }

  it('accepts a one-time Telegram sign-in once, whichever instance sees it first, and shares revoked sessions', async () => {
    const [a, b] = await twoInstances();
    const usedOnA = createMarks(prefixStorage(a, 'telegram-used'));
    const usedOnB = createMarks(prefixStorage(b, 'telegram-used'));
    const expires = Date.now() + 600_000;
    const payloads = Array.from({ length: 25 }, (_, i) => `payload-digest-${i}`);
    // both instances at once, for every payload: each is accepted exactly once
    const accepted = await Promise.all(payloads.flatMap((key) => [usedOnA.addOnce(key, expires), usedOnB.addOnce(key, expires)]));
    for (let i = 0; i < payloads.length; i++) expect([accepted[2 * i], accepted[2 * i + 1]].filter(Boolean), payloads[i]).toHaveLength(1);

    const revokedOnA = createMarks(prefixStorage(a, 'revoked-sessions'));
    const revokedOnB = createMarks(prefixStorage(b, 'revoked-sessions'));
    expect(await revokedOnB.has('sid-1')).toBe(false);
    await revokedOnA.add('sid-1', Date.now() + 60_000);
    expect(await revokedOnB.has('sid-1')).toBe(true);
  });

  it('runs a create once for one Idempotency-Key sent to two instances at the same moment', async () => {
    const [a, b] = await twoInstances();
    const onA = createIdempotency(a);
    const onB = createIdempotency(b);
    const fingerprint = requestFingerprint({ prompt: 'a cat' });
    for (let round = 0; round < 10; round++) {
      let creates = 0;
      const create = async () => `generation-${round}-${++creates}`;
      const results = await Promise.allSettled([onA, onB].map((instance) => instance.run('generations.create', 'alice', `key-${round}`, fingerprint, create)));
      expect(creates, `round ${round}`).toBe(1);
      const ids = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.id] : []));
      expect(ids.every((id) => id === `generation-${round}-1`)).toBe(true);
      for (const result of results) {
        if (result.status === 'rejected') expect((result.reason as HttpError).code).toBe('idempotency_key_in_use');
      }
      // afterwards either instance replays the one generation
      expect(await onB.run('generations.create', 'alice', `key-${round}`, fingerprint, create)).toEqual({ id: `generation-${round}-1`, replayed: true });
    }
  });
});
