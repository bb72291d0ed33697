import { describeOutboxStoreContract } from '@dotbase/core/testing';
import { describe } from 'vitest';
import { createPostgresOutboxStore } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('PostgreSQL webhook outbox', () => {
  const pg = usePostgres();
  const urls = new WeakMap<object, string>();
  describeOutboxStoreContract(
    'postgres',
    async () => {
      const { url, sql } = await pg.freshDatabase();
      const store = createPostgresOutboxStore(sql);
      urls.set(store, url);
      return store;
    },
    // a restart: a new pool on the same database
    (store) => createPostgresOutboxStore(pg.connect(urls.get(store)!)),
  );
});
