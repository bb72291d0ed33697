/**
 * Lua scripts of the shared per-user limits. Each runs atomically inside Redis and reads Redis's own clock (TIME),
 * so instances with drifting clocks still share one window. Every key carries a TTL: nothing outlives its use.
 */

/** Redis's clock in milliseconds. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * A token bucket. KEYS[1] the bucket (hash tokens, at); ARGV limit, windowMs. Returns 0 when the hit is allowed,
 * else the whole seconds until it would be (a refused hit writes nothing, so it spends nothing).
 */
export const RATE_HIT = `${NOW}
local limit = tonumber(ARGV[1])
local rate = limit / tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = limit
if bucket[1] then
  tokens = math.min(limit, tonumber(bucket[1]) + math.max(0, now - tonumber(bucket[2])) * rate)
end
if tokens < 1 then
  return math.max(1, math.ceil((1 - tokens) / rate / 1000))
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
-- a full bucket says nothing: the key goes when it would be full again
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((limit - tokens) / rate)))
return 0`;

/**
 * A slot. KEYS[1] the key's holders (sorted set, score = expiry in ms); ARGV holder, max, ttlMs. 1 when taken
 * (or already held: renewed), 0 when the key is full.
 */
export const SLOT_ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  local expires = now + tonumber(ARGV[3])
  redis.call('ZADD', KEYS[1], expires, ARGV[1])
  -- the set lives as long as its last slot
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIREAT', KEYS[1], expires) end
  return 1
end
return 0`;

/** Extends a slot still held. KEYS[1] the key's holders; ARGV holder, ttlMs. */
export const SLOT_RENEW = `${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= now then return 0 end
local expires = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', expires, ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIREAT', KEYS[1], expires) end
return 1`;

/** How many unexpired slots a key has. KEYS[1] the key's holders. */
export const SLOT_COUNT = `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

/** Hands a held slot to another holder. KEYS[1] the key's holders; ARGV from, to, ttlMs. 1 when moved. */
export const SLOT_MOVE = `${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= now then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
local expires = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], expires, ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIREAT', KEYS[1], expires) end
return 1`;
