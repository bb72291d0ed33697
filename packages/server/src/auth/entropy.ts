/**
 * A rough estimate, in bits, of how hard a secret is to guess: its length times the lower of two per-character
 * Shannon entropies, that of its characters and that of the steps between neighbouring characters. The first
 * catches few-character values (`aaaa…`, `abab…`), the second runs and sequences (`12345…`, `abcd…`). It is no
 * password-strength meter (it knows no words); it refuses what is plainly not random, and a random string of the
 * accepted length always passes. Hand-written: the strength meters on npm (zxcvbn) ship megabytes of
 * dictionaries for a question about human passwords, not generated keys.
 *
 * @example
 * estimatedBits('a'.repeat(40)); // 0
 * estimatedBits(randomBytes(32).toString('base64url')); // ≈ 190
 */
export function estimatedBits(value: string): number {
  const chars = [...value];
  if (chars.length < 2) return 0;
  const codes = chars.map((char) => char.codePointAt(0) as number);
  const steps = codes.slice(1).map((code, i) => code - (codes[i] as number));
  return chars.length * Math.min(shannon(codes), shannon(steps));
}

function shannon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / values.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The least a signing secret (`DOTBASE_SECRET`, or the kept file) may be: 43 characters, as 32 random bytes are
 * in base64 (`openssl rand -base64 32`; `-hex 32` gives 64), and an estimate of at least 128 bits.
 */
export const MIN_SECRET_LENGTH = 43;
export const MIN_SECRET_BITS = 128;
/** The least estimate accepted for an API key (16 characters at least): refuses repeats and runs, not words. */
export const MIN_API_KEY_BITS = 32;

/** Whether a value may sign sessions and embed tokens. */
export function isStrongSecret(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && !/\s/.test(value) && estimatedBits(value) >= MIN_SECRET_BITS;
}
