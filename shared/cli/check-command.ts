/** `torlogs check`: was this IP a Tor exit at that time, and what did it do on the site? One item, or a CSV batch. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TorlogsError } from '../core/errors.js';
import { parseCheckItem } from '../checks/check-item.js';
import { parseDuration } from '../checks/check-time.js';
import { openCheckGeo } from '../checks/check-geo.js';
import { parseReportsCsv, resultsToCsv } from '../checks/reports-csv.js';
import { DEFAULT_WINDOW_MS, MAX_WINDOW_MS, runChecks, type CheckResult } from '../checks/run-checks.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { runCli } from './command-context.js';
import { createProgress } from './progress.js';

interface CheckOpts {
  at?: string;
  site?: string;
  window: string;
  json?: boolean;
  file?: string;
  out?: string;
}

const CHUNK = 10_000;

function describe(r: CheckResult): string {
  const lines = [`${r.ip} at ${r.at}${r.site ? ` on ${r.site}` : ''}: ${r.verdict}`, '', r.summary, ''];
  if (r.evidence.relays.length > 0) lines.push(`relays: ${r.evidence.relays.join(', ')}`);
  for (const iv of r.evidence.intervals) lines.push(`interval ${iv.kind} (${iv.strength}): ${iv.from} – ${iv.to}, ${iv.observations} observations, ${iv.relation}${iv.distanceMinutes ? ` ${iv.distanceMinutes} min` : ''}`);
  const place = [r.geo.city, r.geo.country].filter((x) => x !== '').join(', ') || 'unknown';
  lines.push(`geo: ${place}; AS${r.asn.number || '?'} ${r.asn.organization} (${r.geo.note})`);
  const a = r.activity;
  lines.push(`activity ${a.window.from} – ${a.window.to}: ${a.requests} requests${a.requests ? ` (${a.firstRequest} – ${a.lastRequest})` : ''}`);
  if (a.topPaths.length) lines.push(`  top paths: ${a.topPaths.map((p) => `${p.path} (${p.requests})`).join(', ')}`);
  if (a.statuses.length) lines.push(`  statuses: ${a.statuses.map((s) => `${s.status}: ${s.requests}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('was an IP a Tor exit at a time? verdict with evidence, geo/ASN, activity around the time (one IP, or a CSV batch with --file)')
    .argument('[ip]', 'IPv4 or IPv6 address')
    .option('--at <time>', 'the time, with an offset: 2018-10-31T11:11:00Z, "Wed, 31 Oct 2018 12:11:00 +0100", 31/Oct/2018:11:11:00 +0000, or epoch s/ms')
    .option('--site <site>', 'count activity on this site only')
    .option('--window <duration>', 'activity window around the time (30m, 1h, 2d, or seconds)', '1h')
    .option('--json', 'print the result(s) as JSON')
    .option('--file <csv>', 'batch: CSV with columns ip,time[,site] (header optional; quote times containing commas)')
    .option('--out <file>', 'batch: write results to this .csv or .json file instead of stdout')
    .addHelpText('after', '\nA time without an offset is refused (ambiguous). Bad CSV rows are reported by line and field and make the exit code 1; the good rows are still checked.\nEmbedded store owned by a running `torlogs serve`: use its API instead (POST /v1/checks, docs/analyst-guide.md).')
    .action((ip: string | undefined, opts: CheckOpts) =>
      runCli(async (ctx) => {
        const windowMs = parseDuration(opts.window);
        if (windowMs === null || windowMs > MAX_WINDOW_MS) throw new TorlogsError('usage_invalid', `--window ${JSON.stringify(opts.window)}: not a duration up to 31d (30m, 1h, 2d, or seconds)`);
        let items;
        let bad = 0;
        if (opts.file) {
          if (ip !== undefined || opts.at) throw new TorlogsError('usage_invalid', 'give either <ip> --at <time> or --file <csv>, not both');
          const batch = parseReportsCsv(readFileSync(opts.file, 'utf8'));
          for (const e of batch.errors) process.stderr.write(`${opts.file}:${e.line}: ${e.field}: ${e.message}\n`);
          bad = batch.errors.length;
          items = batch.items;
        } else {
          if (ip === undefined || !opts.at) throw new TorlogsError('usage_invalid', 'usage: torlogs check <ip> --at <time> (or --file <csv>)');
          const r = parseCheckItem({ ip, time: opts.at, site: opts.site });
          if (!r.ok) throw new TorlogsError('usage_invalid', `${r.error.field === 'time' ? '--at' : r.error.field === 'site' ? '--site' : '<ip>'}: ${r.error.message}`);
          items = [r.item];
        }
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const geo = openCheckGeo(ctx.config);
        const results: CheckResult[] = [];
        const progress = createProgress('check', { interactive: ctx.interactive && items.length > CHUNK, unit: ' items' });
        try {
          for (let i = 0; i < items.length; i += CHUNK) {
            results.push(...(await runChecks({ store, geo }, items.slice(i, i + CHUNK), { windowMs: windowMs ?? DEFAULT_WINDOW_MS })));
            progress.update(Math.min(i + CHUNK, items.length), items.length);
          }
        } finally {
          progress.finish();
          geo?.close();
        }
        const asJson = opts.out ? opts.out.endsWith('.json') : opts.json;
        const text = asJson ? `${JSON.stringify(opts.file ? results : results[0], null, opts.out ? 2 : undefined)}\n` : opts.file ? resultsToCsv(results) : describe(results[0]!);
        if (opts.out) {
          writeFileSync(opts.out, text);
          process.stderr.write(`${results.length} checked, ${bad} bad rows: ${opts.out}\n`);
        } else process.stdout.write(text);
        if (opts.file && bad > 0) process.stderr.write(`${bad} bad row${bad > 1 ? 's' : ''} skipped (see above)\n`);
        return bad > 0 ? 1 : 0;
      }),
    );
}
