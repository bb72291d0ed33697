import type { RateLimitStore, RateVerdict, SeenOnceStore, SlotRef, SlotStore } from '@dotbase/core';
import type { Redis } from 'ioredis';
import { defineScripts } from './define-scripts.js';
import { RATE_HIT, SLOT_ACQUIRE, SLOT_COUNT, SLOT_MOVE, SLOT_RENEW } from './limit-scripts.js';

export interface RedisLimitsOptions {
  /** Key prefix shared by every instance of one deployment (default `dotbase:limits`). */
  prefix?: string;
}

type LimitScript = 'dotbaseRateHit' | 'dotbaseSlotAcquire' | 'dotbaseSlotRenew' | 'dotbaseSlotCount' | 'dotbaseSlotMove';
type ScriptRunner = Record<LimitScript, (key: string, ...args: (string | number)[]) => Promise<number>>;

const SCRIPTS: Record<LimitScript, string> = {
  dotbaseRateHit: RATE_HIT,
  dotbaseSlotAcquire: SLOT_ACQUIRE,
  dotbaseSlotRenew: SLOT_RENEW,
  dotbaseSlotCount: SLOT_COUNT,
  dotbaseSlotMove: SLOT_MOVE,
};

/**
 * Per-user limits shared by every instance through Redis: token buckets, expiring slots and seen-once ids, each
 * an atomic script or command on Redis's clock, each key with a TTL.
 *
 * @example
 * const limits = createRedisLimits(redis);
 * await limits.rate.hit('alice', 600, 60_000);
 */
export function createRedisLimits(redis: Redis, options: RedisLimitsOptions = {}): { rate: RateLimitStore; slots: SlotStore; seen: SeenOnceStore } {
  const prefix = options.prefix ?? 'dotbase:limits';
  const scripts = defineScripts<ScriptRunner>(redis, SCRIPTS, 1);
  const slotKey = (key: string) => `${prefix}:slots:${key}`;
  const seenKey = (id: string) => `${prefix}:seen:${id}`;

  const rate: RateLimitStore = {
    async hit(key, limit, windowMs): Promise<RateVerdict> {
      const wait = Number(await scripts.dotbaseRateHit(`${prefix}:rate:${key}`, limit, windowMs));
      return wait === 0 ? { ok: true } : { ok: false, retryAfterSeconds: wait };
    },
  };

  const slots: SlotStore = {
    async acquire(key, holder, max, ttlMs) {
      return Number(await scripts.dotbaseSlotAcquire(slotKey(key), holder, max, Math.ceil(ttlMs))) === 1;
    },
    async renew(held: SlotRef[], ttlMs) {
      if (held.length === 0) return;
      // one round trip for all of this instance's slots
      const pipeline = redis.pipeline();
      for (const { key, holder } of held) (pipeline as unknown as ScriptRunner).dotbaseSlotRenew(slotKey(key), holder, Math.ceil(ttlMs));
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },
    async move(key, from, to, ttlMs) {
      return Number(await scripts.dotbaseSlotMove(slotKey(key), from, to, Math.ceil(ttlMs))) === 1;
    },
    async release(key, holder) {
      await redis.zrem(slotKey(key), holder);
    },
    async count(key) {
      return Number(await scripts.dotbaseSlotCount(slotKey(key)));
    },
  };

  const seen: SeenOnceStore = {
    async firstTime(id, ttlMs) {
      return (await redis.set(seenKey(id), '1', 'PX', Math.ceil(ttlMs), 'NX')) === 'OK';
    },
    async forget(id) {
      await redis.del(seenKey(id));
    },
  };

  return { rate, slots, seen };
}
