import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchStore, createBlobStore, createGenerationStore, createOutboxStore, type GenerationRecord } from '@dotbase/core';
import { makeBatchRecord, makeOutboxMessage } from '@dotbase/core/testing';
import { fsStorage } from '@dotbase/core/node';
import { prefixStorage } from 'unstorage';
import { afterAll, describe, expect, it } from 'vitest';
import { importEmbeddedFolder, openEmbeddedFolder } from '../src/import/index.js';
import { createPostgresBatchStore, createPostgresGenerationStore, createPostgresOutboxStore } from '../src/postgres/index.js';
import { createS3BlobStore, type S3BlobStore } from '../src/s3/index.js';
import { postgresAvailable, startS3Server, type S3Server } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

const dirs: string[] = [];
let s3: Promise<S3Server> | undefined;
const stores: S3BlobStore[] = [];
afterAll(async () => {
  for (const store of stores) store.close();
  if (s3) await (await s3).stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function record(id: string, user: string, status: GenerationRecord['status']): GenerationRecord {
  const done = status !== 'pending' && status !== 'processing';
  return {
    id, user_id: user, action: 'create', model_id: 'flux-schnell', prompt: id, settings: {}, input_images: [], mask: null, status,
    prediction_id: `p-${id}`, token_id: null, output_keys: [], error: null, progress: done ? 100 : 40,
    created_at: 1_700_000_000_000, started_at: 1_700_000_000_100, completed_at: done ? 1_700_000_001_000 : null, processing_time_ms: done ? 900 : null,
  };
}

/** Writes into the embedded folder through core's own store, then closes it (as a stopped server leaves it). */
async function withFolder(dir: string, change: (store: ReturnType<typeof createGenerationStore>, storage: ReturnType<typeof fsStorage>) => Promise<void>) {
  const storage = fsStorage(dir);
  try {
    await change(createGenerationStore(prefixStorage(storage, 'generations')), storage);
  } finally {
    await storage.dispose();
  }
}

async function importOnce(dir: string, targets: Parameters<typeof importEmbeddedFolder>[1]) {
  const folder = openEmbeddedFolder(dir);
  try {
    return await importEmbeddedFolder(folder, targets, { batchSize: 2 });
  } finally {
    await folder.close();
  }
}

describe.skipIf(!postgresAvailable())('importEmbeddedFolder', () => {
  const pg = usePostgres();

  it('keeps what PostgreSQL has, except that a generation unfinished there takes the state it finished with in the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotbase-import-unit-'));
    dirs.push(dir);
    const { sql } = await pg.freshDatabase();
    const target = createPostgresGenerationStore(sql);
    await withFolder(dir, async (store) => {
      for (const id of ['a', 'b', 'c']) await store.create(record(id, 'alice', 'processing'));
      await store.setFavorite('b', true);
    });
    // another user's generation already holds id "c" in the target (never with uuids; it must not be taken over)
    await target.create(record('c', 'mallory', 'processing'));

    expect((await importOnce(dir, { sql })).generations).toEqual({ imported: 2, finished: 0, present: 0, conflicts: 1, invalid: 0 });
    // a star comes along, into the favorites filter and its total
    expect(await target.list('alice', { page: 1, limit: 10, favorite: true })).toMatchObject({ total: 1, items: [{ id: 'b', favorite: true }] });

    // the old server ran on: "a" finished in the folder; meanwhile the new instances finished "b" their own way
    await withFolder(dir, async (store) => {
      await store.update('a', { status: 'completed', completed_at: 1_700_000_002_000, processing_time_ms: 1900, progress: 100 });
      await store.update('c', { status: 'completed' });
    });
    await target.update('b', { status: 'failed', error: 'finished on the new instances' });

    expect((await importOnce(dir, { sql })).generations).toEqual({ imported: 0, finished: 1, present: 1, conflicts: 1, invalid: 0 });
    expect(await target.get('a')).toMatchObject({ status: 'completed', completed_at: 1_700_000_002_000, processing_time_ms: 1900 });
    expect(await target.get('b')).toMatchObject({ status: 'failed', error: 'finished on the new instances' });
    expect(await target.get('c')).toMatchObject({ user_id: 'mallory', status: 'processing' });
    // list totals follow, through the trigger
    expect((await target.list('alice', { page: 1, limit: 10, status: 'completed' })).total).toBe(1);

    expect((await importOnce(dir, { sql })).generations).toEqual({ imported: 0, finished: 0, present: 2, conflicts: 1, invalid: 0 });
  });

  it('copies images under their own keys with their types, skips stray files, and copies entries verbatim', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotbase-import-unit-'));
    dirs.push(dir);
    const server = await (s3 ??= startS3Server());
    const blobs = createS3BlobStore({ bucket: await server.createBucket(), endpoint: server.endpoint, region: server.region, credentials: server.credentials });
    stores.push(blobs);
    const { sql } = await pg.freshDatabase();
    let keys: string[] = [];
    await withFolder(dir, async (_store, storage) => {
      const local = createBlobStore(prefixStorage(storage, 'blobs'));
      keys = [(await local.put(new Uint8Array([1, 2, 3]), 'image/webp', 'uploads')).key, (await local.put(new Uint8Array([4]), 'image/jpeg', 'outputs')).key];
      await prefixStorage(storage, 'server').setItem(`owner:${keys[0]}`, { user_id: 'alice' });
    });
    await mkdir(join(dir, 'blobs', 'notes'), { recursive: true });
    await writeFile(join(dir, 'blobs', 'notes', 'README.txt'), 'not an image');

    const summary = await importOnce(dir, { sql, blobs });
    expect(summary.files).toEqual({ copied: 2, present: 0, skipped: 1 });
    expect(summary.entries).toEqual({ copied: 1, present: 0 });
    expect(await blobs.get(keys[0]!)).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/webp' });
    expect(await blobs.get(keys[1]!)).toEqual({ bytes: new Uint8Array([4]), contentType: 'image/jpeg' });
    const rows = await sql`SELECT key, value FROM dotbase_kv`;
    expect(rows.map((row) => [row['key'], JSON.parse(row['value'] as string)])).toEqual([[`server:owner:${keys[0]!.replace('/', ':')}`, { user_id: 'alice' }]]);

    const again = await importOnce(dir, { sql, blobs });
    expect(again.files).toEqual({ copied: 0, present: 2, skipped: 1 });
    expect(again.entries).toEqual({ copied: 0, present: 1 });
  });

  it('moves the webhook outbox and batches into their own tables, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotbase-import-outbox-'));
    dirs.push(dir);
    const { sql } = await pg.freshDatabase();
    const pending = makeOutboxMessage({ generation_id: 'gen-x', next_attempt_at: 5000 });
    const delivered = makeOutboxMessage({ generation_id: 'gen-x', status: 'delivered', next_attempt_at: null, attempts: [{ at: 1, status_code: 204, error: null, duration_ms: 2 }] });
    const batch = makeBatchRecord({ items: ['gen-x', 'gen-y'], webhook: { url: 'http://127.0.0.1:1/hook', events_filter: ['completed'] } });
    await withFolder(dir, async (_store, storage) => {
      const outbox = createOutboxStore(prefixStorage(storage, 'outbox'));
      await outbox.enqueue(pending);
      await outbox.enqueue(delivered);
      await outbox.watch('gen-x');
      await createBatchStore(prefixStorage(storage, 'batches')).create(batch);
    });

    // two messages, one watched generation, one batch; the index keys (due, gen:, user:) are not copied
    expect((await importOnce(dir, { sql })).entries).toEqual({ copied: 4, present: 0 });
    const outbox = createPostgresOutboxStore(sql);
    expect(await outbox.listByGeneration('gen-x')).toEqual([pending, delivered]);
    expect(await outbox.watched()).toEqual(['gen-x']);
    expect(await outbox.nextDueAt()).toBe(5000);
    expect(await createPostgresBatchStore(sql).get(batch.id)).toEqual(batch);
    expect(await sql`SELECT key FROM dotbase_kv WHERE key LIKE 'outbox:%' OR key LIKE 'batches:%'`).toHaveLength(0);

    expect((await importOnce(dir, { sql })).entries).toEqual({ copied: 0, present: 4 });
    expect(await outbox.listByGeneration('gen-x')).toHaveLength(2);
  });
});
