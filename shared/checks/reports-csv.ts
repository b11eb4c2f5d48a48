/**
 * Abuse-report batches as CSV (RFC 4180: quoted fields may hold commas, quotes doubled): columns ip, time and an
 * optional site, with or without a header line. Every bad row is reported by line and field; the good rows are
 * checked. Results go back as CSV (one line per item, the summary quoted) or JSON.
 */
import { parseCheckItem, type CheckItem, type FieldError } from './check-item.js';
import type { CheckResult } from './run-checks.js';

export interface RowError extends FieldError {
  line: number;
}

export interface ReportBatch {
  items: CheckItem[];
  /** line number of each item */
  lines: number[];
  errors: RowError[];
}

/** Splits one CSV record; null when a quote is not closed. */
export function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      if (line.slice(i, comma < 0 ? undefined : comma).trim() !== '') return null;
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? undefined : comma);
      i = comma < 0 ? line.length + 1 : comma + 1;
    }
    out.push(field.trim());
    if (i > line.length) return out;
  }
}

export function parseReportsCsv(text: string): ReportBatch {
  const batch: ReportBatch = { items: [], lines: [], errors: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let cols = { ip: 0, time: 1, site: 2 };
  for (const [n, raw] of lines.entries()) {
    const line = n + 1;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const f = splitCsvLine(raw);
    if (f === null) {
      batch.errors.push({ line, field: 'line', message: 'unclosed or misplaced quote' });
      continue;
    }
    if (batch.items.length === 0 && batch.errors.length === 0 && f.some((x) => x.toLowerCase() === 'ip') && f.some((x) => /^(time|at)$/i.test(x))) {
      const lower = f.map((x) => x.toLowerCase());
      cols = { ip: lower.indexOf('ip'), time: Math.max(lower.indexOf('time'), lower.indexOf('at')), site: lower.indexOf('site') };
      continue;
    }
    if (f.length < 2) {
      batch.errors.push({ line, field: 'time', message: `expected ip,time[,site]: found ${f.length} column` });
      continue;
    }
    const r = parseCheckItem({ ip: f[cols.ip], time: f[cols.time], site: cols.site >= 0 ? f[cols.site] : undefined });
    if (r.ok) {
      batch.items.push(r.item);
      batch.lines.push(line);
    } else batch.errors.push({ line, ...r.error });
  }
  return batch;
}

const CSV_COLUMNS = ['ip', 'at', 'site', 'verdict', 'relays', 'evidence_strength', 'country', 'city', 'asn', 'as_org', 'geo_source', 'requests', 'first_request', 'last_request', 'top_paths', 'statuses', 'summary'];

function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`; // a spreadsheet must not run a path or user agent as a formula
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsToCsv(results: readonly CheckResult[]): string {
  const rows = results.map((r) =>
    [
      r.ip, r.at, r.site ?? '', r.verdict, r.evidence.relays.join(' '), r.evidence.strength ?? '', r.geo.country, r.geo.city, r.asn.number || '', r.asn.organization,
      r.geo.source, r.activity.requests, r.activity.firstRequest ?? '', r.activity.lastRequest ?? '',
      r.activity.topPaths.map((p) => `${p.path} (${p.requests})`).join(' '), r.activity.statuses.map((s) => `${s.status}:${s.requests}`).join(' '), r.summary,
    ].map(cell).join(','),
  );
  return `${CSV_COLUMNS.join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
}
