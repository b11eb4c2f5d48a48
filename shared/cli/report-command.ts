import type { Command } from 'commander';
import { TorlogsError } from '../core/errors.js';
import { ALL_SITES } from '../reports/report-data.js';
import { sitesOfDay, writeReport } from '../reports/report-writer.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { ensureWindows } from '../summaries/summarize.js';
import { GRAIN_MS } from '../summaries/windows.js';
import { runCli } from './command-context.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the daily report (JSON, CSV, Markdown, HTML with charts) to TORLOGS_REPORTS_DIR')
    .requiredOption('--date <day>', 'the UTC day, e.g. 2023-06-03')
    .option('--site <site>', 'one site (default: the all-sites report and one report per site)')
    .option('--json', 'print the written files as JSON')
    .addHelpText('after', '\nMissing or out-of-date summaries of the day (and of the 30 days before it) are computed first.\nWith TORLOGS_REPORT_WEBHOOK_URL set, each JSON report is POSTed there (retries); a failed POST exits 1.')
    .action((opts: { date: string; site?: string; json?: boolean }) =>
      runCli(async (ctx) => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(`${opts.date}T00:00:00Z`))) throw new TorlogsError('usage_invalid', `--date must be a day like 2023-06-03, not "${opts.date}"`);
        const day = Date.parse(`${opts.date}T00:00:00Z`);
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        await ensureWindows(store, 'day', day, day + GRAIN_MS.day);
        const sites = opts.site !== undefined ? [opts.site] : [ALL_SITES, ...(await sitesOfDay(store, day))];
        const written = [];
        for (const site of sites) {
          process.stderr.write(`report ${opts.date} ${site === ALL_SITES ? 'all sites' : site}\n`);
          written.push(await writeReport(store, ctx.config, day, site));
        }
        const summary = written.map((w) => ({ date: w.date, site: w.site, files: w.files, requests: w.report.totals.requests, torShare: w.report.totals.torShare, webhook: w.webhook }));
        if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else for (const s of summary) process.stdout.write(`${s.site === ALL_SITES ? 'all sites' : s.site}: ${s.requests} requests, Tor share ${(s.torShare * 100).toFixed(2)}% → ${s.files.html}${s.webhook ? ` (webhook ${s.webhook.ok ? 'ok' : 'FAILED'}: ${s.webhook.detail}, ${s.webhook.attempts} attempts)` : ''}\n`);
        return written.some((w) => w.webhook && !w.webhook.ok) ? 1 : 0;
      }),
    );
}
