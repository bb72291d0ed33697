import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresAvailable, startPostgresCluster, startS3Server, type PostgresCluster, type S3Server } from '@dotbase/scale/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportCommand } from '../src/scale/import-command.js';
import { startTestServer, upload, waitForTerminal } from './helpers.js';
import { sampleImage } from './images.js';

describe.skipIf(!postgresAvailable())('dotbase import', () => {
  let cluster: PostgresCluster;
  let s3: S3Server;
  const dirs: string[] = [];
  beforeAll(async () => {
    [cluster, s3] = await Promise.all([startPostgresCluster(), startS3Server()]);
  });
  afterAll(async () => {
    await Promise.all([cluster?.stop(), s3?.stop()]);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('moves an embedded folder into PostgreSQL and S3, idempotently, with every generation and file reachable after', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dotbase-import-'));
    dirs.push(folder);
    // fill an embedded folder through the server, as a zero-config deployment would have
    const embedded = await startTestServer({ DOTBASE_DATA_DIR: folder });
    const uploaded = await upload(embedded, await sampleImage('png', 48, 48), { type: 'image/png' });
    expect(uploaded.status).toBe(201);
    const ids: string[] = [];
    for (const prompt of ['first', 'second', 'third']) {
      const created = await embedded.json('POST', '/api/generations/create', { body: { action: 'create', model_id: 'flux-schnell', prompt } });
      ids.push(created.body.id);
    }
    const before = await Promise.all(ids.map((id) => waitForTerminal(embedded, id)));
    await embedded.close();

    const env = {
      DATABASE_URL: await cluster.createDatabase(),
      ...s3.environment(await s3.createBucket()),
      DOTBASE_SECRET: 'cstOF5ud0SzgOWskSKNyyUdhZjjIS54xYPe9hAnXhqde',
    };
    const lines: string[] = [];
    expect(await runImportCommand(env, [folder], (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toMatch(/imported 3 generations \(0 already there\), \d+ entries \(0 already there\), 4 files \(0 already there\)/);
    // again: nothing new, nothing doubled
    expect(await runImportCommand(env, [folder], (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toMatch(/imported 0 generations \(3 already there\), 0 entries \(\d+ already there\), 0 files \(4 already there\)/);

    // a fresh instance on PostgreSQL and S3 (an empty data folder of its own) serves everything
    const scaled = await startTestServer(env);
    try {
      const list = await scaled.json('GET', '/api/generations/list?page=1&limit=10');
      expect(list.body.total).toBe(3);
      expect(list.body.items.map((g: { id: string }) => g.id)).toEqual([...ids].reverse());
      for (const old of before) {
        const now = (await scaled.json('GET', `/api/generations/${old.id}`)).body;
        expect({ ...now, output_urls: undefined }).toEqual({ ...old, output_urls: undefined });
        const file = await scaled.fetch(new URL(now.output_urls[0]).pathname);
        expect(file.status).toBe(200);
      }
      const uploads = await scaled.json('GET', '/api/uploads');
      expect(uploads.body.items.map((u: { id: string }) => u.id)).toEqual([uploaded.body.id]);
      expect((await scaled.fetch(`/files/${uploaded.body.id}`)).headers.get('content-type')).toBe('image/png');
      // the uploaded file is still its owner's to use as an input
      const edit = await scaled.json('POST', '/api/generations/create', {
        body: { action: 'upscale', model_id: 'real-esrgan', input_images: [uploaded.body.id] },
      });
      expect(edit.status).toBe(201);
    } finally {
      await scaled.close();
    }
  });

  it('says what is missing', async () => {
    const out: string[] = [];
    expect(await runImportCommand({}, [], (line) => out.push(line))).toBe(2);
    expect(await runImportCommand({ DATABASE_URL: cluster.url }, ['/nonexistent'], (line) => out.push(line))).toBe(2);
    expect(out.join('\n')).toMatch(/usage: dotbase import[\s\S]*holds no records\.lmdb/);
  });
});
