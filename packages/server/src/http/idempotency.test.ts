import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { createIdempotency, requestFingerprint } from './idempotency.js';

describe('createIdempotency', () => {
  it('forgets a key after its time to live, and not before', async () => {
    let time = 1_000;
    const idempotency = createIdempotency(createStorage(), { ttlMs: 24 * 60 * 60 * 1000, now: () => time });
    let made = 0;
    const make = async () => `thing-${++made}`;
    const fingerprint = requestFingerprint({ a: 1 });
    expect(await idempotency.run('s', 'u', 'k', fingerprint, make)).toEqual({ id: 'thing-1', replayed: false });
    time += 24 * 60 * 60 * 1000 - 1;
    expect(await idempotency.run('s', 'u', 'k', fingerprint, make)).toEqual({ id: 'thing-1', replayed: true });
    time += 1;
    expect(await idempotency.run('s', 'u', 'k', fingerprint, make)).toEqual({ id: 'thing-2', replayed: false });
  });

  it('scopes keys: one key in two scopes is two resources', async () => {
    const idempotency = createIdempotency(createStorage());
    const fingerprint = requestFingerprint({});
    const a = await idempotency.run('generations.create', 'u', 'k', fingerprint, async () => 'g');
    const b = await idempotency.run('batches.create', 'u', 'k', fingerprint, async () => 'b');
    expect([a.id, b.id]).toEqual(['g', 'b']);
  });

  it('fingerprints ignore key order and spacing but not values', () => {
    expect(requestFingerprint({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(requestFingerprint(JSON.parse('{ "b": [1, {"d":3,"c":2}], "a": 1 }')));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: '1' }));
  });
});
