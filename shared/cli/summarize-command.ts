import type { Command } from 'commander';
import { TorlogsError } from '../core/errors.js';
import { parseAnyTime } from '../parse/clf-time.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { summarizeRange } from '../summaries/summarize.js';
import { isoWindow, type Grain } from '../summaries/windows.js';
import { runCli } from './command-context.js';
import { createProgress } from './progress.js';

/** "2023-06-03" (a UTC day) or any time parseAnyTime accepts (ISO 8601 with offset, CLF, epoch) → epoch ms */
export function parseDayOrTime(v: string, option: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const ms = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  const t = parseAnyTime(v);
  if (!t.ok) throw new TorlogsError('usage_invalid', `${option}: ${t.error}`);
  return t.ms;
}

export function registerSummarizeCommand(program: Command): void {
  program
    .command('summarize')
    .description('compute the hourly and daily rollups (summaries) of a time range now, replacing what was there')
    .requiredOption('--from <time>', 'start: a UTC day (2023-06-03) or an ISO 8601 time with offset; rounded down to the window')
    .requiredOption('--to <time>', 'end (exclusive): windows starting before it are computed')
    .option('--grain <grain>', 'hour, day or both', 'both')
    .option('--json', 'print the computed windows as JSON')
    .addHelpText('after', '\nThe scheduled service (torlogs serve) does the same for every window that ended, after downtime too.\nRe-running a range gives the same numbers; Tor counts use the Tor history as of now.')
    .action((opts: { from: string; to: string; grain: string; json?: boolean }) =>
      runCli(async (ctx) => {
        if (!['hour', 'day', 'both'].includes(opts.grain)) throw new TorlogsError('usage_invalid', '--grain must be hour, day or both');
        const from = parseDayOrTime(opts.from, '--from');
        const to = parseDayOrTime(opts.to, '--to');
        if (to <= from) throw new TorlogsError('usage_invalid', '--to must be after --from');
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const grains: Grain[] = opts.grain === 'both' ? ['hour', 'day'] : [opts.grain as Grain];
        const out = [];
        for (const g of grains) {
          const progress = createProgress(`summarize ${g}s`, { interactive: ctx.interactive, unit: ' windows' });
          const res = await summarizeRange(store, g, from, to, (_w, done, total) => progress.update(done, total));
          progress.finish();
          out.push(...res);
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(out.map((c) => ({ grain: c.grain, window: isoWindow(c), requests: c.requests, runId: c.runId, reason: c.reason, ms: Math.round(c.ms) })))}\n`);
        else {
          for (const g of grains) {
            const cs = out.filter((c) => c.grain === g);
            process.stdout.write(`${cs.length} ${g} windows, ${cs.reduce((s, c) => s + c.requests, 0)} requests\n`);
          }
        }
      }),
    );
}
