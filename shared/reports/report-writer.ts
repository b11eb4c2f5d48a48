/**
 * Writes the reports of a day to TORLOGS_REPORTS_DIR/<date>/<site>.{json,csv,md,html} (the all-sites report is
 * `all-sites.*`), atomically (temp file + rename), and POSTs each JSON report to TORLOGS_REPORT_WEBHOOK_URL when set.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { ClickHouseStore } from '../store/store.js';
import { chDateTime } from '../summaries/windows.js';
import { ALL_SITES, buildReport, type ReportData } from './report-data.js';
import { reportHtml } from './report-html.js';
import { reportCsv, reportMarkdown } from './report-text.js';
import { postJson, type WebhookOutcome } from './webhook.js';

export interface WrittenReport {
  date: string;
  site: string;
  files: { json: string; csv: string; md: string; html: string };
  webhook: WebhookOutcome | null;
  report: ReportData;
}

export type ReportConfig = Pick<Config, 'reportsDir' | 'reportWebhookUrl' | 'reportWebhookRetries'>;

export const siteSlug = (site: string): string => (site === ALL_SITES ? 'all-sites' : site.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_'));

/** sites with requests on the day (from the day's rollup) */
export async function sitesOfDay(store: ClickHouseStore, dayMs: number): Promise<string[]> {
  const rows = await store.query<{ site: string }>(
    `SELECT DISTINCT site FROM \${DB}.summary_rollups WHERE grain = 'day' AND window_start = {d:DateTime} AND dim = 'total' AND site != '*'
       AND run_id = (SELECT argMax(run_id, started_at) FROM \${DB}.summary_windows WHERE grain = 'day' AND window_start = {d:DateTime}) ORDER BY site`,
    { params: { d: chDateTime(dayMs) } },
  );
  return rows.map((r) => r.site);
}

/** the report of one (day, site) in every format; site '*' = all sites */
export async function writeReport(store: ClickHouseStore, cfg: ReportConfig, dayMs: number, site: string, webhookBackoffMs?: number): Promise<WrittenReport> {
  const report = await buildReport(store, dayMs, site);
  const dir = resolve(cfg.reportsDir, report.date);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, siteSlug(site));
  const files = { json: `${base}.json`, csv: `${base}.csv`, md: `${base}.md`, html: `${base}.html` };
  const put = (path: string, text: string) => {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  };
  put(files.json, `${JSON.stringify(report, null, 2)}\n`);
  put(files.csv, reportCsv(report));
  put(files.md, reportMarkdown(report));
  put(files.html, reportHtml(report));
  const webhook = cfg.reportWebhookUrl ? await postJson(cfg.reportWebhookUrl, report, { retries: cfg.reportWebhookRetries, backoffMs: webhookBackoffMs }) : null;
  return { date: report.date, site, files, webhook, report };
}

/** the all-sites report and one per site, for each day */
export async function writeDailyReports(store: ClickHouseStore, cfg: ReportConfig, days: readonly number[], log?: Logger): Promise<WrittenReport[]> {
  const out: WrittenReport[] = [];
  for (const day of days) {
    for (const site of [ALL_SITES, ...(await sitesOfDay(store, day))]) {
      const w = await writeReport(store, cfg, day, site);
      if (w.webhook && !w.webhook.ok) log?.warn({ date: w.date, site, webhook: w.webhook }, 'report webhook failed after retries (files are written)');
      out.push(w);
    }
  }
  return out;
}
