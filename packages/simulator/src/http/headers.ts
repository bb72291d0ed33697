/** `Prefer: wait` (60 s) or `Prefer: wait=N` with N in 1–60; undefined without a wait; 'invalid' otherwise. */
export function parsePreferWait(header: string | undefined): number | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /(?:^|[,;\s])wait(?:=(\S+?))?(?=$|[,;\s])/i.exec(header);
  if (!match) return undefined;
  if (match[1] === undefined) return 60;
  const seconds = Number(match[1]);
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 60 ? seconds : 'invalid';
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `Cancel-After` as a Go-style duration (`30s`, `1m30s`, `500ms`) or plain seconds; 'invalid' when unreadable. */
export function parseCancelAfter(header: string | undefined): number | 'invalid' | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(value)) return 'invalid';
  let total = 0;
  for (const part of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return total;
}
