import { describeTokenPoolStateContract } from '@dotbase/core/testing';
import { afterAll, describe } from 'vitest';
import { createPostgresTokenPoolState } from '../src/postgres/index.js';
import type { SharedTokenPoolState } from '../src/redis/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('PostgreSQL token-pool state', () => {
  const pg = usePostgres();
  const states: SharedTokenPoolState[] = [];
  afterAll(async () => {
    await Promise.all(states.map((state) => state.close()));
  });
  // the contract runs on virtual time: the caller's clock
  describeTokenPoolStateContract('postgres', async () => {
    const state = createPostgresTokenPoolState((await pg.freshDatabase()).sql, { clock: 'caller' });
    states.push(state);
    return state;
  });
});
