import { Redis } from 'ioredis';

/**
 * A connection to `REDIS_URL`, connected before it is handed out so a wrong URL fails at start, not at the first
 * generation.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectionName: 'dotbase' });
  await redis.connect();
  return redis;
}
export type { Redis };
