/**
 * A small seeded PRNG (mulberry32) with the picks the fuzz generators need. Same seed, same requests: a failure
 * found once can be replayed with `FUZZ_SEED=<seed>`.
 *
 * @example
 * const rng = createRng(42);
 * rng.pick(['a', 'b']); rng.int(1, 6); rng.chance(0.1);
 */
export function createRng(seed: number) {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  const rng = {
    seed,
    next,
    /** A whole number from min to max, both included. */
    int(min: number, max: number): number {
      return min + Math.floor(next() * (max - min + 1));
    },
    chance(probability: number): boolean {
      return next() < probability;
    },
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    bytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    /** A version-4-shaped uuid from this generator (crypto.randomUUID would break replay). */
    uuid(): string {
      const hex = Array.from(rng.bytes(16), (byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
    /** Letters and digits, for ids and keys that must look plausible. */
    word(length: number): string {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
  return rng;
}

export type Rng = ReturnType<typeof createRng>;

/** A fixed default keeps CI deterministic; `FUZZ_SEED` explores (or replays) other request sets. */
export const DEFAULT_FUZZ_SEED = 20_250_505;

export function seedFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.FUZZ_SEED?.trim();
  if (!raw) return DEFAULT_FUZZ_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`FUZZ_SEED must be a non-negative whole number, got ${raw}`);
  return seed;
}
