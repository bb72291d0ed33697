import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prefixStorage } from 'unstorage';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers.js';
import { isDotbaseError } from '../../errors.js';
import { fsStorage } from '../../node.js';
import { makeGenerationRecord } from '../generation-store-contract.js';
import { createGenerationStore } from '../generation-store.js';
import { assertRecordsFileIntact, verifyRecordsFile } from './verify-records-file.js';

const removals: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const remove of removals.splice(0)) await remove();
});

/** A records file as the server lays it out: generations of two users under `generations:`, one unfinished, plus plain values. */
async function seeded(): Promise<{ file: string; ids: string[] }> {
  const temp = await tempDir();
  removals.push(temp.remove);
  const storage = fsStorage(temp.dir);
  const store = createGenerationStore(prefixStorage(storage, 'generations'));
  const ids: string[] = [];
  for (let i = 0; i < 40; i += 1) {
    // every third one starred: index entries of four elements are intact too
    const record = makeGenerationRecord({ user_id: i % 2 ? 'alice' : 'bob', status: 'completed', favorite: i % 3 === 0 });
    await store.create(record);
    ids.push(record.id);
  }
  // unstorage keeps strings as plain text, not JSON (the unfinished set holds each id so): not damage
  await store.create(makeGenerationRecord({ status: 'processing' }));
  await storage.setItem('server:webhooks:secret', 'whsec_plain-text');
  await storage.dispose();
  return { file: join(temp.dir, 'records.lmdb'), ids };
}

/** Replaces every copy of `from` in the file (copy-on-write leaves older ones in freed pages) with `to`. */
async function replaceBytes(file: string, from: string, to: string | Buffer): Promise<number> {
  const bytes = await readFile(file);
  const [needle, replacement] = [Buffer.from(from), Buffer.isBuffer(to) ? to : Buffer.from(to)];
  expect(replacement.length).toBe(needle.length);
  let hits = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    replacement.copy(bytes, at);
    hits += 1;
  }
  await writeFile(file, bytes);
  expect(hits).toBeGreaterThan(0);
  return hits;
}

describe('verifyRecordsFile', () => {
  it('reads every entry of an intact file and reports nothing', async () => {
    const { file } = await seeded();
    const report = await verifyRecordsFile(file);
    expect(report.damaged).toEqual([]);
    // 40 records, two users' meta and chunk, the statistics, the unfinished set, the plain value
    expect(report.entries).toBeGreaterThan(44);
    await expect(assertRecordsFileIntact(file)).resolves.toMatchObject({ damaged: [] });
  });

  it('a missing file (a first start) reports nothing', async () => {
    const temp = await tempDir();
    removals.push(temp.remove);
    expect(await verifyRecordsFile(join(temp.dir, 'records.lmdb'))).toEqual({ entries: 0, damaged: [] });
  });

  it('finds a record whose bytes still parse as JSON but no longer as a generation (LMDB keeps no checksums)', async () => {
    const { file, ids } = await seeded();
    await replaceBytes(file, `{"record":{"id":"${ids[3]}","user_id"`, `{"record":{"id":"${ids[3]}","user_iX"`);
    const { damaged } = await verifyRecordsFile(file);
    expect(damaged).toEqual([{ key: `generations:gen:${ids[3]}`, problem: 'the record has no user_id' }]);
  });

  it('finds a damaged index entry (an action no action has)', async () => {
    const { file, ids } = await seeded();
    await replaceBytes(file, `["${ids[5]}","create",`, `["${ids[5]}","crXate",`);
    const { damaged } = await verifyRecordsFile(file);
    expect(damaged).toEqual([{ key: 'generations:users:alice:chunks:0', problem: 'an index entry is not [id, action, status, favorite?]' }]);
  });

  it('finds a damaged key: out of sort order, lookups can no longer find it', async () => {
    const { file, ids } = await seeded();
    const sorted = [...ids].sort();
    // the first generation key now sorts after every other one, yet sits before them in the B-tree
    await replaceBytes(file, `generations:gen:${sorted[0]}`, `generations:gen~${sorted[0]}`);
    const { damaged } = await verifyRecordsFile(file);
    expect(damaged).toEqual([{ key: `generations:gen:${sorted[1]}`, problem: 'the key is out of sort order' }]);
  });

  it('assertRecordsFileIntact names the file, the count, the keys and how to recover', async () => {
    const { file, ids } = await seeded();
    // the closing quote of the id becomes a byte UTF-8 never uses
    await replaceBytes(file, `{"record":{"id":"${ids[0]}"`, Buffer.concat([Buffer.from(`{"record":{"id":"${ids[0]}`), Buffer.from([0xff])]));
    const error = await assertRecordsFileIntact(file).catch((caught: unknown) => caught);
    expect(isDotbaseError(error, 'storage_error')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/is damaged: 1 of \d+ entries/);
    expect(message).toContain(`"generations:gen:${ids[0]}" (the value is not valid UTF-8)`);
    expect(message).toMatch(/Restore it from a backup/);
    expect(message).toMatch(/DOTBASE_VERIFY_STORE=off/);
  });
});
