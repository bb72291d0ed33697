/**
 * Cog models print tqdm lines such as ` 50%|█████     | 2/4 [00:00<00:00,  9.84it/s]`; the last one is the
 * current progress. Proprietary models print none: null then.
 */
const TQDM_LINE = /^\s*(\d{1,3})%\s*\|.*?\|\s*\d+\/\d+/;

export function progressFromLogs(logs: string | null | undefined): number | null {
  if (!logs) return null;
  const lines = logs.split(/\r?\n|\r/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = TQDM_LINE.exec(lines[i]!);
    if (match) return Math.min(100, Number(match[1]));
  }
  return null;
}
