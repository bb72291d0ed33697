import { describe, expect, it } from 'vitest';
import type { OutboxMessage, OutboxStore } from './types.js';

let sequence = 0;

/** A pending message due at `next_attempt_at` (default 1000); ids increase with every call. */
export function makeOutboxMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  sequence += 1;
  return {
    id: `msg_${String(sequence).padStart(6, '0')}`,
    user_id: 'alice',
    generation_id: 'gen-1',
    event: 'completed',
    url: 'http://127.0.0.1:9/hook',
    body: JSON.stringify({ id: 'gen-1', status: 'completed' }),
    status: 'pending',
    created_at: 1000,
    next_attempt_at: 1000,
    attempts: [],
    ...overrides,
  };
}

const attempt = (at: number, status_code: number | null = 500) => ({ at, status_code, error: status_code === null ? 'ECONNREFUSED' : null, duration_ms: 3 });

/**
 * The contract every `OutboxStore` keeps, as a vitest suite. `setup` returns a fresh, empty store; `reopen`, when
 * given, returns a second store over the same backing data (a restart).
 */
export function describeOutboxStoreContract(
  name: string,
  setup: () => OutboxStore | Promise<OutboxStore>,
  reopen?: (store: OutboxStore) => OutboxStore | Promise<OutboxStore>,
): void {
  describe(`OutboxStore contract: ${name}`, () => {
    it('stores a message once: a second enqueue of the same id changes nothing', async () => {
      const store = await setup();
      const message = makeOutboxMessage();
      expect(await store.enqueue(message)).toBe(true);
      expect(await store.enqueue({ ...message, body: 'other' })).toBe(false);
      expect(await store.get(message.id)).toEqual(message);
      expect(await store.listByGeneration(message.generation_id)).toEqual([message]);
      expect(await store.get('msg_unknown')).toBeNull();
    });

    it('hands out due messages earliest first, each once per lease', async () => {
      const store = await setup();
      const late = makeOutboxMessage({ next_attempt_at: 3000 });
      const early = makeOutboxMessage({ next_attempt_at: 1000 });
      const future = makeOutboxMessage({ next_attempt_at: 9000 });
      for (const message of [late, early, future]) await store.enqueue(message);
      expect(await store.nextDueAt()).toBe(1000);

      const claimed = await store.claimDue(5000, 10, 60_000);
      expect(claimed.map((m) => m.id)).toEqual([early.id, late.id]);
      expect(claimed.every((m) => m.next_attempt_at === 65_000)).toBe(true);
      // leased: not handed out again until the lease ends
      expect(await store.claimDue(5000, 10, 60_000)).toEqual([]);
      expect((await store.claimDue(10_000, 10, 60_000)).map((m) => m.id)).toEqual([future.id]);
      // the first two come back once their lease is over (their worker died)
      expect((await store.claimDue(65_000, 10, 60_000)).map((m) => m.id).sort()).toEqual([early.id, late.id].sort());
    });

    it('respects the limit', async () => {
      const store = await setup();
      for (let i = 0; i < 5; i++) await store.enqueue(makeOutboxMessage({ next_attempt_at: 100 + i }));
      expect(await store.claimDue(1000, 2, 10)).toHaveLength(2);
      expect(await store.claimDue(1000, 10, 10)).toHaveLength(3);
    });

    it('records attempts: pending again, then delivered and never due again', async () => {
      const store = await setup();
      const message = makeOutboxMessage();
      await store.enqueue(message);
      await store.claimDue(1000, 10, 60_000);
      const retry = await store.recordAttempt(message.id, attempt(1001), { status: 'pending', next_attempt_at: 2000 });
      expect(retry).toMatchObject({ status: 'pending', next_attempt_at: 2000, attempts: [attempt(1001)] });
      expect(await store.nextDueAt()).toBe(2000);
      expect(await store.claimDue(1999, 10, 60_000)).toEqual([]);
      expect((await store.claimDue(2000, 10, 60_000)).map((m) => m.id)).toEqual([message.id]);

      const done = await store.recordAttempt(message.id, attempt(2001, 204), { status: 'delivered' });
      expect(done).toMatchObject({ status: 'delivered', next_attempt_at: null });
      expect(done?.attempts).toEqual([attempt(1001), attempt(2001, 204)]);
      expect(await store.nextDueAt()).toBeNull();
      expect(await store.claimDue(10 ** 12, 10, 60_000)).toEqual([]);
      expect(await store.recordAttempt('msg_unknown', attempt(1), { status: 'delivered' })).toBeNull();
    });

    it('a failed message is kept for the record but never due again', async () => {
      const store = await setup();
      const message = makeOutboxMessage();
      await store.enqueue(message);
      await store.recordAttempt(message.id, attempt(1000, null), { status: 'failed' });
      expect(await store.claimDue(10 ** 12, 10, 10)).toEqual([]);
      expect(await store.get(message.id)).toMatchObject({ status: 'failed', attempts: [attempt(1000, null)] });
    });

    it('lists one generation’s messages oldest first, and forgets them on delete', async () => {
      const store = await setup();
      const a = makeOutboxMessage({ generation_id: 'gen-a', event: 'start' });
      const b = makeOutboxMessage({ generation_id: 'gen-b' });
      const c = makeOutboxMessage({ generation_id: 'gen-a', event: 'completed' });
      for (const message of [a, b, c]) await store.enqueue(message);
      expect((await store.listByGeneration('gen-a')).map((m) => m.id)).toEqual([a.id, c.id]);
      await store.deleteByGeneration('gen-a');
      expect(await store.listByGeneration('gen-a')).toEqual([]);
      expect(await store.get(a.id)).toBeNull();
      expect((await store.claimDue(10 ** 12, 10, 10)).map((m) => m.id)).toEqual([b.id]);
    });

    it('takes many messages at once without losing one', async () => {
      const store = await setup();
      const messages = Array.from({ length: 40 }, (_, i) => makeOutboxMessage({ generation_id: `gen-${i % 3}`, next_attempt_at: i }));
      await Promise.all(messages.map((message) => store.enqueue(message)));
      const claimed = await Promise.all([store.claimDue(100, 15, 1000), store.claimDue(100, 15, 1000), store.claimDue(100, 15, 1000)]);
      const ids = claimed.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(40);
      expect(ids.sort()).toEqual(messages.map((m) => m.id).sort());
    });

    if (reopen) {
      it('keeps pending messages across a restart', async () => {
        const store = await setup();
        const message = makeOutboxMessage({ next_attempt_at: 500 });
        await store.enqueue(message);
        await store.recordAttempt(message.id, attempt(500, null), { status: 'pending', next_attempt_at: 700 });
        const again = await reopen(store);
        expect(await again.nextDueAt()).toBe(700);
        const [due] = await again.claimDue(700, 10, 10);
        expect(due).toMatchObject({ id: message.id, body: message.body, attempts: [attempt(500, null)] });
      });
    }
  });
}
