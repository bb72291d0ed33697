import { describeBatchStoreContract } from '@dotbase/core/testing';
import { describe } from 'vitest';
import { createPostgresBatchStore } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('PostgreSQL batch store', () => {
  const pg = usePostgres();
  describeBatchStoreContract('postgres', async () => createPostgresBatchStore((await pg.freshDatabase()).sql));
});
