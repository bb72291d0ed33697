import { describe, expect, it } from 'vitest';
import { isDotbaseError } from '../errors.js';
import { ACTIONS, type Action } from '../models/types.js';
import { GENERATION_STATUSES, type GenerationRecord, type GenerationStatus, type GenerationStore, type ListQuery } from './types.js';

const HOUR = 3_600_000;
/** An hour boundary, so a store with hourly stats buckets answers windows starting here exactly. */
const H = 1_700_000_000_000 - (1_700_000_000_000 % HOUR);

let sequence = 0;

/** A record with sensible defaults; ids and creation times increase with every call. */
export function makeGenerationRecord(overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    user_id: 'alice',
    action: 'create',
    model_id: 'flux-schnell',
    prompt: `prompt ${sequence}`,
    settings: { aspect_ratio: '1:1', num_outputs: 1 },
    input_images: [],
    mask: null,
    status: 'pending',
    prediction_id: null,
    token_id: null,
    output_keys: [],
    error: null,
    progress: null,
    created_at: H + sequence,
    started_at: null,
    completed_at: null,
    processing_time_ms: null,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Every generation of a user matching a filter, page by page, to compare with what the test created. */
async function listAll(store: GenerationStore, userId: string, query: Omit<ListQuery, 'page' | 'limit'> = {}, limit = 7) {
  const items: GenerationRecord[] = [];
  let total = -1;
  for (let page = 1; ; page++) {
    const result = await store.list(userId, { ...query, page, limit });
    if (total === -1) total = result.total;
    expect(result.total).toBe(total);
    items.push(...result.items);
    if (result.items.length < limit) break;
  }
  return { items, total };
}

const newestFirst = (records: GenerationRecord[]) => [...records].reverse().map((r) => r.id);

/**
 * The behaviour every `GenerationStore` must show. Each test gets a fresh, empty store from `factory`.
 *
 * @example
 * describeGenerationStoreContract('memory', () => createGenerationStore(createStorage()));
 */
export function describeGenerationStoreContract(name: string, factory: () => Promise<GenerationStore> | GenerationStore): void {
  describe(`GenerationStore contract: ${name}`, () => {
    it('keeps a record’s webhook target and batch id', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ webhook: { url: 'http://127.0.0.1:1/hook', events_filter: ['start', 'completed'] }, batch_id: 'batch-1' });
      await store.create(record);
      expect(await store.get(record.id)).toEqual(record);
      const updated = await store.update(record.id, { status: 'processing' });
      expect(updated).toMatchObject({ webhook: record.webhook, batch_id: 'batch-1' });
    });

    it('keeps when a batch item’s submission began', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ batch_id: 'batch-1' });
      await store.create(record);
      expect(await store.update(record.id, { submit_started_at: H + 5 })).toMatchObject({ status: 'pending', submit_started_at: H + 5 });
      expect(await store.get(record.id)).toMatchObject({ submit_started_at: H + 5 });
    });

    it('applies a conditional update only while its condition holds', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ status: 'pending', batch_id: 'batch-1' });
      await store.create(record);
      expect(await store.update(record.id, { progress: 1 }, { status: ['processing'] })).toBeNull();
      expect(await store.update('no-such-id', { progress: 1 }, { status: ['pending'] })).toBeNull();
      // a batch item's submission is marked once: the second mark finds the field set
      const marked = await store.update(record.id, { submit_started_at: H + 1 }, { status: ['pending'], unset: ['submit_started_at', 'prediction_id'] });
      expect(marked).toMatchObject({ status: 'pending', submit_started_at: H + 1 });
      expect(await store.update(record.id, { submit_started_at: H + 2 }, { status: ['pending'], unset: ['submit_started_at'] })).toBeNull();
      const processing = await store.update(record.id, { status: 'processing', prediction_id: 'p1' }, { status: ['pending'], unset: ['prediction_id'] });
      expect(processing).toMatchObject({ status: 'processing', prediction_id: 'p1' });
      expect(await store.update(record.id, { prediction_id: 'p2' }, { unset: ['prediction_id'] })).toBeNull();
      expect(await store.update(record.id, { status: 'completed' }, { status: ['pending', 'processing'] })).toMatchObject({ status: 'completed' });
      expect(await store.update(record.id, { status: 'failed', error: 'late' }, { status: ['pending', 'processing'] })).toBeNull();
      expect(await store.get(record.id)).toMatchObject({ status: 'completed', prediction_id: 'p1', submit_started_at: H + 1, error: null });
      // an empty patch with a condition answers whether it holds
      expect(await store.update(record.id, {}, { status: ['completed'] })).toMatchObject({ status: 'completed' });
      expect(await store.update(record.id, {}, { status: ['pending'] })).toBeNull();
    });

    it('lets exactly one of many concurrent transitions from processing to a terminal status win', async () => {
      const store = await factory();
      const records = Array.from({ length: 10 }, () => makeGenerationRecord({ status: 'processing', prediction_id: 'p' }));
      for (const record of records) await store.create(record);
      const endings: Array<{ status: GenerationStatus; error: string | null }> = [
        { status: 'completed', error: null },
        { status: 'failed', error: 'boom' },
        { status: 'canceled', error: null },
      ];
      const results = await Promise.all(
        records.flatMap((record) =>
          Array.from({ length: 12 }, (_, i) =>
            store
              .update(record.id, { ...endings[i % 3]!, progress: i, processing_time_ms: 100 + i }, { status: ['pending', 'processing'] })
              .then((won) => ({ id: record.id, won })),
          ),
        ),
      );
      for (const record of records) {
        const winners = results.filter((result) => result.id === record.id && result.won !== null);
        expect(winners, record.id).toHaveLength(1);
        // what is stored is the winner's write, whole
        expect(await store.get(record.id)).toEqual(winners[0]!.won);
      }
      expect(await store.listUnfinished()).toEqual([]);
      const counted = (await store.stats(H - HOUR)).reduce((sum, row) => sum + row.count, 0);
      expect(counted).toBe(records.length);
      expect((await store.users())[0]?.total).toBe(records.length);
    });

    it('creates, reads, updates and deletes a record', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ settings: { seed: 7, nested: { a: [1, 2] } }, input_images: ['uploads/x.png'] });
      await store.create(record);
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.get('no-such-id')).toBeNull();

      const updated = await store.update(record.id, { status: 'processing', prediction_id: 'p1', token_id: 'tok_1', started_at: H + 100 });
      expect(updated).toEqual({ ...record, status: 'processing', prediction_id: 'p1', token_id: 'tok_1', started_at: H + 100 });
      expect(await store.get(record.id)).toEqual(updated);
      expect(await store.update('no-such-id', { status: 'failed' })).toBeNull();

      expect(await store.delete(record.id)).toBe(true);
      expect(await store.get(record.id)).toBeNull();
      expect(await store.delete(record.id)).toBe(false);
    });

    it('keeps what it stores apart from the objects it was given and the records it hands out', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ settings: { nested: { a: [1] } } });
      const prompt = record.prompt;
      await store.create(record);
      (record.settings['nested'] as { a: number[] }).a.push(2);
      record.prompt = 'changed by the caller';
      const stored = await store.get(record.id);
      expect(stored?.prompt).toBe(prompt);
      expect(stored?.settings).toEqual({ nested: { a: [1] } });
      const tamper = (target: GenerationRecord | null | undefined) => {
        try {
          (target!.settings['nested'] as { a: number[] }).a.push(3);
          target!.status = 'failed';
        } catch {
          // a frozen record refuses; that is one way to keep the store intact
        }
      };
      tamper(stored);
      tamper((await store.list('alice', { page: 1, limit: 10 })).items[0]);
      tamper(await store.update(record.id, { progress: 5 }));
      const again = await store.get(record.id);
      expect(again?.status).toBe('pending');
      expect(again?.settings).toEqual({ nested: { a: [1] } });
    });

    it('refuses a second record with the same id', async () => {
      const store = await factory();
      const record = makeGenerationRecord();
      await store.create(record);
      expect(isDotbaseError(await rejection(store.create({ ...record, prompt: 'other' })), 'conflict')).toBe(true);
      expect((await store.get(record.id))?.prompt).toBe(record.prompt);
      expect((await store.list('alice', { page: 1, limit: 10 })).total).toBe(1);
    });

    it('keeps id, owner and creation time, and ignores undefined patch fields', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ error: 'kept' });
      await store.create(record);
      const patch = { id: 'other', user_id: 'mallory', created_at: 1, error: undefined, progress: 40 } as Partial<GenerationRecord>;
      const updated = await store.update(record.id, patch);
      expect(updated).toEqual({ ...record, progress: 40 });
      expect((await store.list('mallory', { page: 1, limit: 10 })).total).toBe(0);
    });

    it('lists newest first with pagination and a total', async () => {
      const store = await factory();
      const records: GenerationRecord[] = [];
      for (let i = 0; i < 25; i++) {
        const record = makeGenerationRecord();
        records.push(record);
        await store.create(record);
      }
      const pages = await Promise.all([1, 2, 3, 4].map((page) => store.list('alice', { page, limit: 10 })));
      expect(pages.map((p) => p.items.length)).toEqual([10, 10, 5, 0]);
      expect(pages.every((p) => p.total === 25)).toBe(true);
      expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(newestFirst(records));
      expect(pages[0]?.items[0]).toEqual(records[24]);
    });

    it('filters by action, by status and by both, with matching totals', async () => {
      const store = await factory();
      const records: GenerationRecord[] = [];
      for (let i = 0; i < 60; i++) {
        const record = makeGenerationRecord({
          action: ACTIONS[i % ACTIONS.length] as Action,
          status: GENERATION_STATUSES[(i * 7) % GENERATION_STATUSES.length] as GenerationStatus,
        });
        records.push(record);
        await store.create(record);
      }
      const queries: Array<{ action?: Action; status?: GenerationStatus }> = [
        {},
        { action: 'edit' },
        { status: 'completed' },
        { action: 'create', status: 'failed' },
        { action: 'upscale', status: 'canceled' },
        { action: 'remove-bg' },
      ];
      for (const query of queries) {
        const expected = records.filter((r) => (!query.action || r.action === query.action) && (!query.status || r.status === query.status));
        const { items, total } = await listAll(store, 'alice', query);
        expect(total, JSON.stringify(query)).toBe(expected.length);
        expect(items.map((r) => r.id), JSON.stringify(query)).toEqual(newestFirst(expected));
      }
    });

    it('stars and unstars a generation, keeping the rest of the record, and hands `favorite` out as true or not at all', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ status: 'completed', output_keys: ['outputs/a.png'] });
      await store.create(record);
      expect(await store.get(record.id)).not.toHaveProperty('favorite');
      const starred = await store.setFavorite(record.id, true);
      expect(starred).toEqual({ ...record, favorite: true });
      expect(await store.get(record.id)).toEqual({ ...record, favorite: true });
      // a later status patch leaves the star alone
      expect(await store.update(record.id, { progress: 100 })).toMatchObject({ favorite: true, progress: 100 });
      const unstarred = await store.setFavorite(record.id, false);
      expect(unstarred).not.toHaveProperty('favorite');
      expect(await store.get(record.id)).toEqual({ ...record, progress: 100 });
      expect(await store.setFavorite('no-such-id', true)).toBeNull();
      // a record imported as starred is starred; one created with favorite: false is not
      const imported = makeGenerationRecord({ favorite: true });
      const plain = makeGenerationRecord({ favorite: false });
      await store.create(imported);
      await store.create(plain);
      expect(await store.get(imported.id)).toEqual(imported);
      expect(await store.get(plain.id)).not.toHaveProperty('favorite');
      expect((await store.list('alice', { page: 1, limit: 10, favorite: true })).items.map((r) => r.id)).toEqual([imported.id]);
    });

    it('lists the starred generations newest first, paged, alone and with action and status, following stars, updates and deletes', async () => {
      const store = await factory();
      const records: GenerationRecord[] = [];
      for (let i = 0; i < 40; i++) {
        const record = makeGenerationRecord({
          action: ACTIONS[i % ACTIONS.length] as Action,
          status: GENERATION_STATUSES[(i * 3) % GENERATION_STATUSES.length] as GenerationStatus,
        });
        records.push(record);
        await store.create(record);
      }
      await store.create(makeGenerationRecord({ user_id: 'bob', favorite: true }));
      const starred = new Set<string>();
      // stars race with each other and with status changes of the same records
      await Promise.all(
        records.flatMap((record, i) =>
          i % 3 === 0
            ? [store.setFavorite(record.id, true).then(() => starred.add(record.id)), store.update(record.id, { progress: i })]
            : [],
        ),
      );
      const check = async () => {
        const current = await Promise.all(records.map(async (r) => (await store.get(r.id)) ?? undefined));
        const live = current.filter((r): r is GenerationRecord => r !== undefined);
        const queries: Array<{ action?: Action; status?: GenerationStatus }> = [{}, { action: 'create' }, { status: 'completed' }, { action: 'edit', status: 'failed' }];
        for (const query of queries) {
          const expected = live.filter((r) => starred.has(r.id) && (!query.action || r.action === query.action) && (!query.status || r.status === query.status));
          const { items, total } = await listAll(store, 'alice', { ...query, favorite: true }, 4);
          expect(total, JSON.stringify(query)).toBe(expected.length);
          expect(items.map((r) => r.id), JSON.stringify(query)).toEqual(newestFirst(expected));
          expect(items.every((r) => r.favorite === true)).toBe(true);
        }
        // the unfiltered list still holds every one, starred or not
        expect((await store.list('alice', { page: 1, limit: 1 })).total).toBe(live.length);
      };
      await check();
      expect(starred.size).toBe(14);
      await store.setFavorite(records[3]!.id, false);
      starred.delete(records[3]!.id);
      await store.update(records[6]!.id, { status: 'completed', action: 'edit' });
      await store.delete(records[9]!.id);
      starred.delete(records[9]!.id);
      // starring twice counts once
      await store.setFavorite(records[12]!.id, true);
      await check();
      expect((await store.list('bob', { page: 1, limit: 10, favorite: true })).total).toBe(1);
      expect(await store.list('nobody', { page: 1, limit: 10, favorite: true })).toEqual({ items: [], total: 0 });
    });

    it('refuses malformed list queries', async () => {
      const store = await factory();
      const bad: ListQuery[] = [
        { page: 0, limit: 10 },
        { page: 1, limit: 0 },
        { page: 1.5, limit: 10 },
        { page: 1, limit: 10, action: 'paint' as Action },
        { page: 1, limit: 10, status: 'done' as GenerationStatus },
        { page: 1, limit: 10, favorite: false as unknown as true },
      ];
      for (const query of bad) expect(isDotbaseError(await rejection(store.list('alice', query)), 'invalid_input'), JSON.stringify(query)).toBe(true);
    });

    it('moves a generation between filters when its status changes', async () => {
      const store = await factory();
      const record = makeGenerationRecord({ action: 'edit' });
      await store.create(record);
      const totalFor = async (status: GenerationStatus) => (await store.list('alice', { page: 1, limit: 5, action: 'edit', status })).total;
      expect(await totalFor('pending')).toBe(1);
      await store.update(record.id, { status: 'processing' });
      expect([await totalFor('pending'), await totalFor('processing')]).toEqual([0, 1]);
      await store.update(record.id, { status: 'completed', processing_time_ms: 1200 });
      const completed = await store.list('alice', { page: 1, limit: 5, status: 'completed' });
      expect(completed.total).toBe(1);
      expect(completed.items[0]?.status).toBe('completed');
      expect(await totalFor('processing')).toBe(0);
    });

    it('removes a deleted generation from lists, totals, stats and the unfinished set', async () => {
      const store = await factory();
      const keep = makeGenerationRecord({ status: 'completed', processing_time_ms: 100 });
      const drop = makeGenerationRecord({ status: 'processing' });
      await store.create(keep);
      await store.create(drop);
      await store.delete(drop.id);
      const { items, total } = await store.list('alice', { page: 1, limit: 10 });
      expect(total).toBe(1);
      expect(items.map((r) => r.id)).toEqual([keep.id]);
      expect((await store.list('alice', { page: 1, limit: 10, status: 'processing' })).total).toBe(0);
      expect(await store.listUnfinished()).toEqual([]);
      expect(await store.stats(H)).toEqual([{ action: 'create', status: 'completed', count: 1, avg_processing_time_ms: 100 }]);
    });

    it('tracks every generation not yet finished', async () => {
      const store = await factory();
      const pending = makeGenerationRecord({ status: 'pending' });
      const processing = makeGenerationRecord({ status: 'processing' });
      const done = makeGenerationRecord({ status: 'completed' });
      for (const record of [pending, processing, done]) await store.create(record);
      expect((await store.listUnfinished()).sort()).toEqual([pending.id, processing.id].sort());
      await store.update(processing.id, { status: 'failed', error: 'boom' });
      await store.update(pending.id, { status: 'processing' });
      expect(await store.listUnfinished()).toEqual([pending.id]);
      await store.update(pending.id, { status: 'canceled' });
      expect(await store.listUnfinished()).toEqual([]);
    });

    it('counts stats by action and status over a window, with average processing time', async () => {
      const store = await factory();
      const rows = [
        makeGenerationRecord({ created_at: H - 2 * HOUR, status: 'completed', processing_time_ms: 9000 }),
        makeGenerationRecord({ created_at: H - 1, status: 'completed', processing_time_ms: 9000 }),
        makeGenerationRecord({ created_at: H, status: 'completed', processing_time_ms: 1000 }),
        makeGenerationRecord({ created_at: H + 10 * 60_000, status: 'completed', processing_time_ms: 2000 }),
        makeGenerationRecord({ created_at: H + 3 * HOUR, status: 'completed', processing_time_ms: 6000 }),
        makeGenerationRecord({ created_at: H + 20 * 60_000, status: 'failed' }),
        makeGenerationRecord({ created_at: H + 30 * 60_000, action: 'upscale', status: 'processing' }),
      ];
      for (const record of rows) await store.create(record);
      expect(await store.stats(H)).toEqual([
        { action: 'create', status: 'completed', count: 3, avg_processing_time_ms: 3000 },
        { action: 'create', status: 'failed', count: 1, avg_processing_time_ms: null },
        { action: 'upscale', status: 'processing', count: 1, avg_processing_time_ms: null },
      ]);
      expect(await store.stats(H + 4 * HOUR)).toEqual([]);

      await store.update(rows[6]?.id as string, { status: 'completed', processing_time_ms: 500 });
      await store.delete(rows[4]?.id as string);
      expect(await store.stats(H)).toEqual([
        { action: 'create', status: 'completed', count: 2, avg_processing_time_ms: 1500 },
        { action: 'create', status: 'failed', count: 1, avg_processing_time_ms: null },
        { action: 'upscale', status: 'completed', count: 1, avg_processing_time_ms: 500 },
      ]);
      expect((await store.stats(H - 3 * HOUR)).find((r) => r.status === 'completed' && r.action === 'create')).toEqual({
        action: 'create',
        status: 'completed',
        count: 4,
        avg_processing_time_ms: 5250,
      });
    });

    it('reports activity: p95 within 10 %, a series per bucket, failure reasons and recent failures, following updates and deletes', async () => {
      const store = await factory();
      // 100 completed creates taking 1..100 s: the true p95 is 95 s
      const timed = Array.from({ length: 100 }, (_, i) =>
        makeGenerationRecord({ created_at: H + i * 1000, status: 'completed', processing_time_ms: (i + 1) * 1000 }),
      );
      const failures = [
        makeGenerationRecord({ created_at: H + HOUR + 1, status: 'failed', error: 'NSFW content detected\nprediction abc', completed_at: H + HOUR + 5 }),
        makeGenerationRecord({ created_at: H + HOUR + 2, status: 'failed', error: 'NSFW content detected\nprediction def', user_id: 'bob', completed_at: H + HOUR + 6 }),
        makeGenerationRecord({ created_at: H + HOUR + 3, action: 'upscale', model_id: 'real-esrgan', status: 'processing' }),
        makeGenerationRecord({ created_at: H - HOUR, status: 'failed', error: 'too old for the window' }),
      ];
      for (const record of [...timed, ...failures]) await store.create(record);
      await store.update(failures[2]!.id, { status: 'failed', error: 'CUDA out of memory', completed_at: H + HOUR + 9 });

      const report = await store.activity(H);
      expect(report.since).toBe(H);
      const completed = report.rows.find((row) => row.action === 'create' && row.status === 'completed')!;
      expect(completed).toMatchObject({ count: 100, avg_processing_time_ms: 50_500 });
      expect(completed.p95_processing_time_ms).toBeGreaterThanOrEqual(95_000);
      expect(completed.p95_processing_time_ms).toBeLessThanOrEqual(95_000 * 1.1);
      expect(report.rows.find((row) => row.status === 'failed' && row.action === 'create')).toMatchObject({ count: 2, p95_processing_time_ms: null });
      expect(report.series.map((point) => point.counts)).toEqual([{ completed: 100 }, { failed: 3 }]);
      expect(report.series[1]!.start - report.series[0]!.start).toBe(report.bucket_ms);
      expect(report.failure_reasons).toEqual([
        { reason: 'NSFW content detected', count: 2 },
        { reason: 'CUDA out of memory', count: 1 },
      ]);
      expect(report.recent_failures.map((failure) => failure.id)).toEqual([failures[2]!.id, failures[1]!.id, failures[0]!.id]);
      expect(report.recent_failures[0]).toEqual({
        id: failures[2]!.id, user_id: 'alice', action: 'upscale', model_id: 'real-esrgan', error: 'CUDA out of memory',
        created_at: H + HOUR + 3, completed_at: H + HOUR + 9,
      });
      expect((await store.activity(H - HOUR)).failure_reasons).toContainEqual({ reason: 'too old for the window', count: 1 });

      // a deleted failure leaves the reasons and the recent list; a retried one too
      await store.delete(failures[0]!.id);
      await store.update(failures[1]!.id, { status: 'processing', error: null });
      const after = await store.activity(H);
      expect(after.failure_reasons).toEqual([{ reason: 'CUDA out of memory', count: 1 }]);
      expect(after.recent_failures.map((failure) => failure.id)).toEqual([failures[2]!.id]);
      expect(after.series.map((point) => point.counts)).toEqual([{ completed: 100 }, { failed: 1, processing: 1 }]);
      expect(await store.activity(H + 5 * HOUR)).toMatchObject({ rows: [], failure_reasons: [], recent_failures: [] });
    });

    it('lists every user with their counts by status, most generations first, whatever characters their ids hold', async () => {
      const store = await factory();
      expect(await store.users()).toEqual([]);
      const plan: Array<[string, GenerationStatus[]]> = [
        ['ünï cødé:a/b', ['completed', 'failed', 'completed']],
        ['bob', ['completed']],
        ['Alice', ['processing', 'canceled']],
      ];
      for (const [user, statuses] of plan) {
        for (const status of statuses) await store.create(makeGenerationRecord({ user_id: user, status }));
      }
      const gone = makeGenerationRecord({ user_id: 'gone' });
      await store.create(gone);
      await store.delete(gone.id);
      expect(await store.users()).toEqual([
        { user_id: 'ünï cødé:a/b', total: 3, counts: { completed: 2, failed: 1 } },
        { user_id: 'Alice', total: 2, counts: { processing: 1, canceled: 1 } },
        { user_id: 'bob', total: 1, counts: { completed: 1 } },
      ]);
    });

    it('keeps users apart, whatever characters their ids hold', async () => {
      const store = await factory();
      const users = ['alice', 'Alice', 'bob', 'a:b', 'a/b', 'x?y', '..', 'ünï cødé'];
      const byUser = new Map<string, string[]>();
      for (const [i, user] of users.entries()) {
        for (let n = 0; n <= i; n++) {
          const record = makeGenerationRecord({ user_id: user });
          await store.create(record);
          byUser.set(user, [record.id, ...(byUser.get(user) ?? [])]);
        }
      }
      for (const user of users) {
        const { items, total } = await store.list(user, { page: 1, limit: 50 });
        expect(total, user).toBe(byUser.get(user)?.length);
        expect(items.map((r) => r.id), user).toEqual(byUser.get(user));
        expect(items.every((r) => r.user_id === user)).toBe(true);
      }
      expect(await store.list('nobody', { page: 1, limit: 10 })).toEqual({ items: [], total: 0 });
    });

    it('loses no index entry under many concurrent creates and updates', async () => {
      const store = await factory();
      const records = Array.from({ length: 120 }, (_, i) => makeGenerationRecord({ action: ACTIONS[i % ACTIONS.length] as Action }));
      await Promise.all(records.map((record) => store.create(record)));
      const finalStatuses = ['completed', 'failed', 'canceled', 'processing'] as const;
      const finalStatus = (i: number): GenerationStatus => finalStatuses[i % finalStatuses.length] as GenerationStatus;
      // Two updates per record race with each other and with every other record's updates.
      await Promise.all(
        records.flatMap((record, i) => [
          store.update(record.id, { progress: i % 100 }),
          store.update(record.id, { status: finalStatus(i), processing_time_ms: finalStatus(i) === 'completed' ? 1000 : null }),
        ]),
      );
      const all = await listAll(store, 'alice', {}, 50);
      expect(all.total).toBe(120);
      expect(new Set(all.items.map((r) => r.id)).size).toBe(120);
      for (const status of ['completed', 'failed', 'canceled', 'processing', 'pending'] as const) {
        const expected = records.filter((_, i) => finalStatus(i) === status).length;
        expect((await store.list('alice', { page: 1, limit: 1, status })).total, status).toBe(expected);
      }
      expect((await store.listUnfinished()).length).toBe(30);
      const statsCount = (await store.stats(H - HOUR)).reduce((sum, row) => sum + row.count, 0);
      expect(statsCount).toBe(120);
    });

    it('reconcile (where implemented) removes nothing from a consistent store and keeps every list whole', async () => {
      const store = await factory();
      if (!store.reconcile) return;
      const records = Array.from({ length: 12 }, () => makeGenerationRecord());
      for (const record of records) await store.create(record);
      await store.delete(records[3]!.id);
      expect(await store.reconcile()).toEqual({ removed: 0 });
      const all = await listAll(store, 'alice');
      expect(all.total).toBe(11);
      expect(all.items).toHaveLength(11);
    });
  });
}
