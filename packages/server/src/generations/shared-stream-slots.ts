import type { HeldSlots } from '../limits/held-slots.js';
import type { StreamSlots } from './stream-slots.js';

/**
 * Each user's open event streams counted across every instance, in the shared slot store. A stream's slot is
 * renewed while it is open and freed when it ends, or by expiry when its instance dies.
 *
 * @example
 * const release = await streams.tryTake('alice', 32); // null → 429
 */
export function createSharedStreamSlots(held: HeldSlots): StreamSlots {
  return {
    count: (userId) => held.count(`streams:${userId}`),
    tryTake: (userId, max) => held.take(`streams:${userId}`, max),
  };
}
