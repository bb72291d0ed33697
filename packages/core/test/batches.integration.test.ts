import { describe, expect, it } from 'vitest';
import { isDotbaseError } from '../src/errors.js';
import { createDotbase } from '../src/index.js';
import { fsStorage } from '../src/node.js';
import { tempDir, TOKENS, useStacks } from './helpers.js';

const USER = 'user-b';
const { cleanups, stackWith } = useStacks();
const item = (prompt: string) => ({ action: 'create' as const, model_id: 'flux-schnell', prompt });

describe('held batch items', () => {
  it('are all checked before any is recorded; an error names the item', async () => {
    const stack = await stackWith();
    const error = await stack.dotbase.service
      .createHeld(USER, [item('one'), { ...item('two'), model_id: 'no-such-model' }, item('three')], 'batch-x')
      .then(() => null, (e: unknown) => e);
    expect(isDotbaseError(error, 'invalid_input')).toBe(true);
    expect((error as Error).message).toMatch(/^items\.1\.model_id/);
    const badSetting = await stack.dotbase.service
      .createHeld(USER, [item('one'), { ...item('two'), settings: { aspect_ratio: '7:3' } }], 'batch-y')
      .then(() => null, (e: unknown) => e);
    expect((badSetting as { details: { issues: { path: string }[] } }).details.issues[0]!.path).toMatch(/^items\.1\.settings/);
    expect((await stack.dotbase.service.list(USER, { page: 1, limit: 10 })).total).toBe(0);
  });

  it('wait for their turn: recovery after a restart submits other pending work but leaves them to their batch', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const first = await stackWith({ dir });
    const held = await first.dotbase.service.createHeld(USER, [item('a'), item('b'), item('c')], 'batch-1');
    expect(held.map((r) => [r.status, r.batch_id, r.prediction_id])).toEqual([
      ['pending', 'batch-1', null],
      ['pending', 'batch-1', null],
      ['pending', 'batch-1', null],
    ]);
    // a plain generation recorded but never submitted (the process died in between)
    const orphan = { ...held[0]!, id: crypto.randomUUID(), batch_id: null, created_at: Date.now() };
    await first.dotbase.store.create(orphan);
    await first.dotbase.service.stop();

    const second = createDotbase({ tokens: TOKENS, baseUrl: first.simulator.url, storage: fsStorage(dir), service: { pollIntervalMs: 40 } });
    cleanups.push(() => second.service.stop());
    await second.service.start();
    expect((await second.service.wait(USER, orphan.id, { timeoutMs: 15_000 }))?.status).toBe('completed');
    // recovery ran (the orphan went out) and the held items are untouched
    for (const record of held) expect(await second.store.get(record.id)).toMatchObject({ status: 'pending', prediction_id: null });

    const submitted = await second.service.submitHeld(held[1]!.id);
    expect(submitted?.prediction_id).not.toBeNull();
    expect((await second.service.wait(USER, held[1]!.id, { timeoutMs: 15_000 }))?.status).toBe('completed');
    // submitting again, or an unknown id, changes nothing
    expect((await second.service.submitHeld(held[1]!.id))?.status).toBe('completed');
    expect(await second.service.submitHeld('no-such-id')).toBeNull();
  });
});
