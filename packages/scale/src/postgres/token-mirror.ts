import type { TokenPoolState } from '@dotbase/core';
import type { Sql } from './connect.js';

export interface TokenMirrorOptions {
  /** How often the table and the state meet (default 2 s): the delay before an operator's UPDATE takes effect. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface TokenMirror {
  /** One exchange now (the timer does the same). */
  sync(): Promise<void>;
  stop(): void;
}

/**
 * Keeps `replicate_tokens` and a token-pool state that lives elsewhere (Redis) in step, so the seed's operator SQL
 * works whichever state is in use: an `UPDATE replicate_tokens SET is_active = …` reaches the state within one
 * interval, and the state's counters, cooldowns and the pool's own disabling (a revoked token) are written back
 * to the table for the seed's `SELECT … FROM replicate_tokens`.
 *
 * The table is the operator's switch: a change of `is_active` there since the last exchange wins; otherwise the
 * state's value is written back, conditionally, so an operator's UPDATE racing with the write-back is not lost.
 *
 * @example
 * const mirror = mirrorTokenState(sql, redisState);
 */
export function mirrorTokenState(sql: Sql, state: TokenPoolState, options: TokenMirrorOptions = {}): TokenMirror {
  /** is_active as the table held it after the last exchange, per id. */
  const seen = new Map<string, boolean>();
  let running: Promise<void> | undefined;

  async function exchange(): Promise<void> {
    const table = new Map((await sql`SELECT id, is_active FROM replicate_tokens`).map((row) => [row['id'] as string, row['is_active'] as boolean]));
    for (const [id, active] of table) {
      const before = seen.get(id);
      const operatorChanged = before === undefined ? !active : before !== active;
      if (operatorChanged) await state.setActive(id, active).catch(() => undefined);
    }
    for (const token of await state.list()) {
      const tableActive = table.get(token.id);
      const [row] = await sql`
        INSERT INTO replicate_tokens (id, is_active, request_count, error_count, last_used_at, last_error, cooldown_until)
        VALUES (${token.id}, ${token.is_active}, ${token.request_count}, ${token.error_count},
                ${token.last_used_at === null ? null : new Date(token.last_used_at)}, ${token.last_error},
                ${token.cooldown_until === null ? null : new Date(token.cooldown_until)})
        ON CONFLICT (id) DO UPDATE SET
          request_count = EXCLUDED.request_count, error_count = EXCLUDED.error_count, last_used_at = EXCLUDED.last_used_at,
          last_error = EXCLUDED.last_error, cooldown_until = EXCLUDED.cooldown_until,
          -- only where the operator did not change it since this exchange read it
          is_active = CASE WHEN replicate_tokens.is_active IS NOT DISTINCT FROM ${tableActive ?? null}::boolean THEN EXCLUDED.is_active ELSE replicate_tokens.is_active END
        RETURNING is_active`;
      const written = row?.['is_active'] as boolean;
      // when the operator's change won the race, remember the old value: the next exchange passes the change on
      seen.set(token.id, written === token.is_active ? written : (tableActive ?? written));
    }
  }

  const sync = () => (running ??= exchange().finally(() => (running = undefined)));
  const timer = setInterval(() => {
    sync().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 2000);
  timer.unref();
  return { sync, stop: () => clearInterval(timer) };
}
