const BAR_WIDTH = 10;

function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * One tqdm progress line as Cog models print them, e.g. ` 50%|█████     | 2/4 [00:00<00:00,  9.84it/s]`,
 * which the replicate SDK parses with `/^\s*(\d+)%\s*\|.+?\|\s*(\d+)\/(\d+)/`.
 */
export function tqdmLine(done: number, total: number, elapsedMs: number): string {
  const percent = String(Math.floor((done / total) * 100)).padStart(3, ' ');
  const bar = '█'.repeat(Math.round((done / total) * BAR_WIDTH)).padEnd(BAR_WIDTH, ' ');
  if (done === 0) return `${percent}%|${bar}| 0/${total} [00:00<?, ?it/s]`;
  const elapsed = elapsedMs / 1000;
  const rate = elapsed > 0 ? done / elapsed : done;
  const remaining = (total - done) / rate;
  return `${percent}%|${bar}| ${done}/${total} [${clock(elapsed)}<${clock(remaining)}, ${rate.toFixed(2).padStart(5, ' ')}it/s]`;
}
