/**
 * Counts each user's open event streams, to cap them: every stream holds a connection, a subscription and a
 * heartbeat timer, so an unbounded number lets one user exhaust the server. This one counts in this process;
 * `createSharedStreamSlots` counts across instances.
 *
 * @example
 * const release = await slots.tryTake('alice', 32); // null → 429
 * // … when the stream ends, for whatever reason:
 * release?.();
 */
export function createStreamSlots(): StreamSlots & { count(userId: string): number; tryTake(userId: string, max: number): (() => void) | null } {
  const open = new Map<string, number>();
  return {
    count: (userId: string) => open.get(userId) ?? 0,
    tryTake(userId: string, max: number): (() => void) | null {
      const count = open.get(userId) ?? 0;
      if (count >= max) return null;
      open.set(userId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left <= 0) open.delete(userId);
        else open.set(userId, left);
      };
    },
  };
}

export interface StreamSlots {
  count(userId: string): number | Promise<number>;
  /** A slot for one more stream, or null when the user has `max` open; call the release when the stream ends. */
  tryTake(userId: string, max: number): (() => void) | null | Promise<(() => void) | null>;
}
