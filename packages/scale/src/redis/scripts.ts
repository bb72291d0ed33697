/**
 * The Lua scripts of the Redis token-pool state. Each runs atomically inside Redis, so choosing a token and marking
 * it used can never interleave with another instance's choice (no check-then-increment race). Keys are built from
 * a prefix inside the scripts: this needs one Redis (or one Redis Cluster slot via a `{hash tag}` prefix).
 *
 * Keys under prefix P:
 * - `P:ids` — set of token ids;
 * - `P:token:<id>` — hash: is_active (1/0), request_count, error_count, last_used_at, last_error, use_seq;
 * - `P:leases:<id>` — sorted set of lease names scored by expiry on Redis's clock (in_flight = unexpired members);
 * - `P:budget:<id>` — sorted set of acquire times inside the budget window (a sliding-window log);
 * - `P:cooldown:<id>` — the end of the cooldown, a key that expires with it;
 * - `P:seq` — the counter that orders acquires (least recently used, even within one millisecond).
 *
 * Times: `clock` is `redis` (Redis's own clock; the caller's `now` only converts durations) or `caller` (the
 * caller's `now`, for tests with virtual time). Lease expiry always runs on Redis's clock.
 */

/** Shared head: resolves the clocks. ARGV[1] prefix, ARGV[2] clock mode, ARGV[3] caller's now. */
const CLOCK = `
local prefix = ARGV[1]
local t = redis.call('TIME')
local redisNow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local callerNow = tonumber(ARGV[3])
local now = callerNow
if ARGV[2] == 'redis' then now = redisNow end
`;

/**
 * ARGV[4] budget limit ('' for none), ARGV[5] window ms, ARGV[6] lease name, ARGV[7] lease ttl ms, ARGV[8..] the
 * ids this instance holds secrets for (none: every registered id). Instances of one deployment may hold different
 * tokens (a rolling change of REPLICATE_API_TOKENS): each picks only among its own, or it would lease a token it
 * cannot use.
 */
export const ACQUIRE = `${CLOCK}
local limit = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local ids
if #ARGV >= 8 then
  ids = {}
  for i = 8, #ARGV do
    if redis.call('SISMEMBER', prefix .. ':ids', ARGV[i]) == 1 then ids[#ids + 1] = ARGV[i] end
  end
else
  ids = redis.call('SMEMBERS', prefix .. ':ids')
end
table.sort(ids)
local best, bestInFlight, bestSeq, earliest
local anyActive = false
for _, id in ipairs(ids) do
  local token = prefix .. ':token:' .. id
  if redis.call('HGET', token, 'is_active') == '1' then
    anyActive = true
    local at = now
    local cooldown = tonumber(redis.call('GET', prefix .. ':cooldown:' .. id) or '0')
    if cooldown > at then at = cooldown end
    if limit then
      local budget = prefix .. ':budget:' .. id
      redis.call('ZREMRANGEBYSCORE', budget, '-inf', now - window)
      local used = redis.call('ZCARD', budget)
      if used >= limit then
        local slot = redis.call('ZRANGE', budget, used - limit, used - limit, 'WITHSCORES')
        local free = tonumber(slot[2]) + window
        if free > at then at = free end
      end
    end
    if at > now then
      if earliest == nil or at < earliest then earliest = at end
    else
      local leases = prefix .. ':leases:' .. id
      redis.call('ZREMRANGEBYSCORE', leases, '-inf', redisNow)
      local inFlight = redis.call('ZCARD', leases)
      local seq = tonumber(redis.call('HGET', token, 'use_seq') or '0')
      if best == nil or inFlight < bestInFlight or (inFlight == bestInFlight and seq < bestSeq) then
        best, bestInFlight, bestSeq = id, inFlight, seq
      end
    end
  end
end
if not anyActive then return {'none'} end
if best == nil then return {'wait', tostring(earliest - now)} end
local seq = redis.call('INCR', prefix .. ':seq')
local token = prefix .. ':token:' .. best
redis.call('ZADD', prefix .. ':leases:' .. best, redisNow + tonumber(ARGV[7]), ARGV[6])
redis.call('HINCRBY', token, 'request_count', 1)
redis.call('HSET', token, 'last_used_at', now, 'use_seq', seq)
if limit then
  local budget = prefix .. ':budget:' .. best
  redis.call('ZADD', budget, now, now .. ':' .. seq)
  redis.call('PEXPIRE', budget, window + 1000)
end
return {'leased', best}
`;

/**
 * Ends a lease (ARGV[5], '' for none: a failure outside a lease) of token ARGV[4] and applies the outcome:
 * ARGV[6] counts as error (1/0), ARGV[7] error message ('' for none), ARGV[8] cooldown ms from the caller's now
 * ('' for none), ARGV[9] disable (1/0). Returns 0 for an unknown token.
 */
export const RELEASE = `${CLOCK}
local id = ARGV[4]
local token = prefix .. ':token:' .. id
if redis.call('EXISTS', token) == 0 then return 0 end
if ARGV[5] ~= '' then redis.call('ZREM', prefix .. ':leases:' .. id, ARGV[5]) end
if ARGV[6] == '1' then redis.call('HINCRBY', token, 'error_count', 1) end
if ARGV[6] == '1' or ARGV[9] == '1' then redis.call('HSET', token, 'last_error', ARGV[7]) end
if ARGV[8] ~= '' then
  local key = prefix .. ':cooldown:' .. id
  local untilAt = now + tonumber(ARGV[8])
  -- a concurrent lease may already have set a longer cooldown: never shorten it
  local current = tonumber(redis.call('GET', key) or '0')
  if untilAt > current then
    local ttl = untilAt - now
    if ARGV[2] ~= 'redis' then ttl = math.max(ttl, 0) + 60000 end
    if ttl > 0 then redis.call('SET', key, untilAt, 'PX', ttl) end
  end
end
if ARGV[9] == '1' then redis.call('HSET', token, 'is_active', '0') end
return 1
`;

/** ARGV[4..] token ids: registers the new ones, keeps what is known about the others. */
export const REGISTER = `${CLOCK}
for i = 4, #ARGV do
  local id = ARGV[i]
  redis.call('SADD', prefix .. ':ids', id)
  local token = prefix .. ':token:' .. id
  redis.call('HSETNX', token, 'is_active', '1')
  redis.call('HSETNX', token, 'request_count', '0')
  redis.call('HSETNX', token, 'error_count', '0')
end
return 1
`;

/** ARGV[4] id, ARGV[5] 1/0. Returns 0 for an unknown token. */
export const SET_ACTIVE = `${CLOCK}
local token = prefix .. ':token:' .. ARGV[4]
if redis.call('EXISTS', token) == 0 then return 0 end
redis.call('HSET', token, 'is_active', ARGV[5])
return 1
`;

/** ARGV[4] lease ttl ms, ARGV[5..] pairs of token id and lease name: pushes each lease's expiry out again. */
export const RENEW = `${CLOCK}
for i = 5, #ARGV, 2 do
  redis.call('ZADD', prefix .. ':leases:' .. ARGV[i], redisNow + tonumber(ARGV[4]), ARGV[i + 1])
end
return 1
`;

/**
 * ARGV[4] one id, or '' for all. Returns per token: id, is_active, request_count, error_count, in_flight,
 * last_used_at, last_error, cooldown_until (as strings, '' for none).
 */
export const STATS = `${CLOCK}
local ids
if ARGV[4] ~= '' then ids = {ARGV[4]} else ids = redis.call('SMEMBERS', prefix .. ':ids') end
table.sort(ids)
local rows = {}
for _, id in ipairs(ids) do
  local token = prefix .. ':token:' .. id
  if redis.call('EXISTS', token) == 1 then
    local h = redis.call('HMGET', token, 'is_active', 'request_count', 'error_count', 'last_used_at', 'last_error')
    local inFlight = redis.call('ZCOUNT', prefix .. ':leases:' .. id, '(' .. redisNow, '+inf')
    local cooldown = redis.call('GET', prefix .. ':cooldown:' .. id) or ''
    table.insert(rows, {id, h[1], h[2], h[3], tostring(inFlight), h[4] or '', h[5] or '', cooldown})
  end
end
return rows
`;
