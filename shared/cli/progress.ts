/**
 * A one-line progress display for long work: redrawn on a terminal (stderr), a periodic log line otherwise.
 * Never writes to stdout (which carries command output).
 */
export interface Progress {
  update(done: number, total: number, note?: string): void;
  finish(note?: string): void;
}

export function createProgress(label: string, opts: { interactive: boolean; everyMs?: number; unit?: string }): Progress {
  const start = Date.now();
  const every = opts.everyMs ?? (opts.interactive ? 200 : 5000);
  const unit = opts.unit ?? '';
  let last = 0;
  const render = (done: number, total: number, note = ''): string => {
    const secs = (Date.now() - start) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    const pct = total > 0 ? Math.min(100, (done / total) * 100) : -1;
    const bar = pct >= 0 ? `[${'#'.repeat(Math.round(pct / 5)).padEnd(20, '.')}] ${pct.toFixed(1)}% ` : '';
    return `${label} ${bar}${done.toLocaleString('en-US')}${total > 0 ? `/${total.toLocaleString('en-US')}` : ''}${unit} ${rate.toLocaleString('en-US')}${unit}/s ${secs.toFixed(1)}s ${note}`.trimEnd();
  };
  return {
    update(done, total, note) {
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      if (opts.interactive) process.stderr.write(`\r\x1b[2K${render(done, total, note)}`);
      else process.stderr.write(`${render(done, total, note)}\n`);
    },
    finish(note) {
      if (opts.interactive) process.stderr.write(`\r\x1b[2K${label} done in ${((Date.now() - start) / 1000).toFixed(1)}s ${note ?? ''}\n`);
    },
  };
}
