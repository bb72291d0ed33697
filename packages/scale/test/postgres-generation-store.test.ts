import { describeGenerationStoreContract } from '@dotbase/core/testing';
import { describe } from 'vitest';
import { createPostgresGenerationStore } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('PostgreSQL generation store', () => {
  const pg = usePostgres();
  describeGenerationStoreContract('postgres', async () => createPostgresGenerationStore((await pg.freshDatabase()).sql));
});
