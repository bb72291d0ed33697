import { describeTokenPoolStateContract } from '@dotbase/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { createRedisTokenPoolState, type SharedTokenPoolState } from '../src/redis/index.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../src/testing/index.js';

describe.skipIf(!redisAvailable())('Redis token-pool state', () => {
  let server: Promise<RedisServer> | undefined;
  const clients: Redis[] = [];
  const states: SharedTokenPoolState[] = [];
  let prefixes = 0;
  afterAll(async () => {
    await Promise.all(states.map((state) => state.close()));
    for (const client of clients) client.disconnect();
    if (server) await (await server).stop();
  });

  async function freshState(): Promise<SharedTokenPoolState> {
    const redis = new Redis((await (server ??= startRedisServer())).url);
    clients.push(redis);
    prefixes += 1;
    // the contract runs on virtual time: the caller's clock
    const state = createRedisTokenPoolState(redis, { prefix: `test${prefixes}`, clock: 'caller' });
    states.push(state);
    return state;
  }

  describeTokenPoolStateContract('redis', freshState);
});
