export interface DurationUnits {
  ms: string;
  s: string;
  min: string;
}

const ENGLISH_UNITS: DurationUnits = { ms: 'ms', s: 's', min: 'min' };

/** A duration for people: 850 ms, 3.2 s, 2 min 5 s (in the given units' language). */
export function formatDuration(ms: number | null | undefined, units: DurationUnits = ENGLISH_UNITS): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ${units.ms}`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} ${units.s}`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} ${units.min} ${Math.round((ms % 60_000) / 1000)} ${units.s}`;
}

export function formatTime(epochMs: number, locale: string): string {
  return new Date(epochMs).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(epochMs: number, locale: string): string {
  return new Date(epochMs).toLocaleString(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '—';
}
