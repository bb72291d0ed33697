import { describeRateLimitStoreContract, describeSeenOnceStoreContract, describeSlotStoreContract } from '@dotbase/core/testing';
import { describe } from 'vitest';
import { createPostgresLimits } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('shared limits on PostgreSQL', () => {
  const postgres = usePostgres();

  /** `count` instances' limits, each with its own pool, on one fresh database. */
  async function instances(count: number) {
    const { url, sql } = await postgres.freshDatabase();
    return [sql, ...Array.from({ length: count - 1 }, () => postgres.connect(url))].map((pool) => createPostgresLimits(pool));
  }

  describeRateLimitStoreContract('postgres', async (count) => (await instances(count)).map((limits) => limits.rate));
  describeSlotStoreContract('postgres', async (count) => (await instances(count)).map((limits) => limits.slots));
  describeSeenOnceStoreContract('postgres', async (count) => (await instances(count)).map((limits) => limits.seen));
});
