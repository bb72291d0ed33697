/**
 * dotbase's token-pool state on Redis. Loaded only when `REDIS_URL` is set.
 */
export { createRedisTokenPoolState, type RedisTokenPoolStateOptions, type SharedTokenPoolState } from './token-pool-state.js';
