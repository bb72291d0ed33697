import type { Redis } from 'ioredis';

/**
 * Registers Lua scripts as commands of a connection (once per connection) and returns it typed as their runner.
 * ioredis sends EVALSHA and falls back to EVAL once per connection: the script text crosses the wire rarely.
 */
export function defineScripts<Runner>(redis: Redis, scripts: Record<string, string>, numberOfKeys: number): Runner {
  for (const [name, lua] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  }
  return redis as unknown as Runner;
}
