import { describe, expect, it } from 'vitest';
import { describeRateLimitStoreContract, describeSeenOnceStoreContract, describeSlotStoreContract } from '../testing.js';
import { createMemoryRateLimitStore, createMemorySeenOnceStore, createMemorySlotStore } from './memory.js';

// one process: every "connection" is the same store
describeRateLimitStoreContract('memory', (count) => {
  const store = createMemoryRateLimitStore();
  return Array.from({ length: count }, () => store);
});
describeSlotStoreContract('memory', (count) => {
  const store = createMemorySlotStore();
  return Array.from({ length: count }, () => store);
});
describeSeenOnceStoreContract('memory', (count) => {
  const store = createMemorySeenOnceStore();
  return Array.from({ length: count }, () => store);
});

describe('memory rate limits', () => {
  it('answers synchronously, so the request path pays no promise', () => {
    const store = createMemoryRateLimitStore();
    expect(store.hit('alice', 1, 60_000)).toEqual({ ok: true });
    expect(store.hit('alice', 1, 60_000)).toEqual({ ok: false, retryAfterSeconds: 60 });
  });
});
