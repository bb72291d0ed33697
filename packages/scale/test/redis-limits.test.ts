import { describeRateLimitStoreContract, describeSeenOnceStoreContract, describeSlotStoreContract } from '@dotbase/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { createRedisLimits } from '../src/redis/index.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../src/testing/index.js';

describe.skipIf(!redisAvailable())('shared limits on Redis', () => {
  let server: Promise<RedisServer> | undefined;
  const clients: Redis[] = [];
  let prefixes = 0;
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    if (server) await (await server).stop();
  });

  /** `count` instances' limits, each on its own connection, sharing one fresh prefix. */
  async function instances(count: number) {
    const url = (await (server ??= startRedisServer())).url;
    prefixes += 1;
    return Array.from({ length: count }, () => {
      const redis = new Redis(url);
      clients.push(redis);
      return createRedisLimits(redis, { prefix: `test${prefixes}` });
    });
  }

  describeRateLimitStoreContract('redis', async (count) => (await instances(count)).map((limits) => limits.rate));
  describeSlotStoreContract('redis', async (count) => (await instances(count)).map((limits) => limits.slots));
  describeSeenOnceStoreContract('redis', async (count) => (await instances(count)).map((limits) => limits.seen));
});
