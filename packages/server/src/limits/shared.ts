import type { RateLimitStore, SeenOnceStore, SlotStore } from '@dotbase/core';

/**
 * The shared stores behind per-user limits when several instances serve one deployment: Redis with `REDIS_URL`,
 * else PostgreSQL with `DATABASE_URL` (see `openBackends`). Without them each limit stays in this process's memory.
 */
export interface SharedLimitStores {
  rate: RateLimitStore;
  slots: SlotStore;
  seen: SeenOnceStore;
  /** Which engine holds them, for the start log. */
  engine: 'redis' | 'postgres';
}
