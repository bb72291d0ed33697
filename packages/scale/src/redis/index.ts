/**
 * dotbase's token-pool state and shared per-user limits on Redis. Loaded only when `REDIS_URL` is set.
 *
 * @module @dotbase/scale/redis
 */
export { createRedisTokenPoolState, type RedisTokenPoolStateOptions } from './token-pool-state.js';
export type { SharedTokenPoolState } from '../tokens/shared-state.js';
export { connectRedis } from './connect.js';
export { createRedisLimits, type RedisLimitsOptions } from './limits.js';
