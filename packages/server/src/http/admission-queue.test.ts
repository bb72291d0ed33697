import { describe, expect, it } from 'vitest';
import { AdmissionRefused, createAdmissionQueue } from './admission-queue.js';

describe('createAdmissionQueue', () => {
  it('gives freed slots to waiters in arrival order and refuses beyond the queue at once', async () => {
    const queue = createAdmissionQueue({ limit: 1, maxQueue: 2, maxWaitMs: 60_000 });
    const first = await queue.acquire();
    const order: string[] = [];
    const a = queue.acquire().then((release) => (order.push('a'), release));
    const b = queue.acquire().then((release) => (order.push('b'), release));
    await expect(queue.acquire()).rejects.toMatchObject({ reason: 'queue_full' });
    expect(queue.stats()).toEqual({ inFlight: 1, queued: 2, limit: 1 });
    first();
    first(); // a second call gives nothing back twice
    const releaseA = await a;
    expect(queue.stats()).toEqual({ inFlight: 1, queued: 1, limit: 1 });
    releaseA();
    (await b)();
    expect(order).toEqual(['a', 'b']);
    expect(queue.stats()).toEqual({ inFlight: 0, queued: 0, limit: 1 });
  });

  it('refuses a waiter after maxWaitMs, and one whose caller went away leaves the queue without taking a slot', async () => {
    const queue = createAdmissionQueue({ limit: 1, maxQueue: 1, maxWaitMs: 20 });
    const held = await queue.acquire();
    const error = await queue.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdmissionRefused);
    expect((error as AdmissionRefused).reason).toBe('waited_too_long');

    const patient = createAdmissionQueue({ limit: 1, maxQueue: 1, maxWaitMs: 60_000 });
    const taken = await patient.acquire();
    const gone = new AbortController();
    const leaving = patient.acquire(gone.signal);
    gone.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    // its place in the queue is free again, and the slot goes to the next waiter
    const next = patient.acquire();
    taken();
    (await next)();
    expect(patient.stats()).toEqual({ inFlight: 0, queued: 0, limit: 1 });
    held();
  });
});
