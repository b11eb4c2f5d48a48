/** CSV and Markdown renderings of a report (the same numbers as the JSON). */
import type { Counted, ReportData } from './report-data.js';

export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const csvCell = (v: string | number): string => (typeof v === 'number' ? String(v) : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** one long table: section, key, requests, unique_ips, bytes, share (fraction) */
export function reportCsv(r: ReportData): string {
  const rows: Array<Array<string | number>> = [['section', 'key', 'requests', 'unique_ips', 'bytes', 'share']];
  rows.push(['total', r.site, r.totals.requests, r.totals.uniqueIps, r.totals.bytes, r.totals.torShare]);
  for (const [v, c] of Object.entries(r.torVerdicts)) rows.push(['tor_verdict', v, c.requests, c.uniqueIps, '', c.share]);
  for (const h of r.hourly) rows.push(['hour', h.hour, h.requests, '', '', h.torShare]);
  for (const d of r.last30Days) rows.push(['day', d.date, d.requests, '', '', d.torShare]);
  const counted = (section: string, list: Counted[]) => list.forEach((c) => rows.push([section, c.key, c.requests, c.uniqueIps, c.bytes, '']));
  counted('tor_country', r.topTorCountries);
  counted('tor_asn', r.topTorAsns);
  counted('tor_path', r.topTorPaths);
  counted('country', r.topCountries);
  counted('status_class', r.statusClasses);
  for (const d of r.ingest.deadLetteredByReason) rows.push(['dead_letter', d.reason, d.lines, '', '', '']);
  for (const u of r.torData.uncovered) rows.push(['tor_uncovered', `${u.from}/${u.to}`, '', '', '', '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const mdCell = (s: string | number) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
function mdTable(head: string[], rows: Array<Array<string | number>>): string {
  if (rows.length === 0) return '_none_\n';
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n') + '\n';
}
const countedRows = (l: Counted[]) => l.map((c) => [c.key || '(none)', c.requests, c.uniqueIps]);

export function reportMarkdown(r: ReportData): string {
  const site = r.site === '*' ? 'all sites' : r.site;
  const t = r.torData;
  return [
    `# torlogs report ${r.date} — ${site}`,
    '',
    `Generated ${r.generatedAt}. Tor status is evaluated at query time against the Tor history as of the generation time.`,
    '',
    '## Totals',
    '',
    mdTable(['requests', 'bytes', 'unique IPs', 'Tor share (exit)'], [[r.totals.requests, r.totals.bytes, r.totals.uniqueIps, pct(r.totals.torShare)]]),
    '## Tor verdicts',
    '',
    mdTable(['verdict', 'requests', 'unique IPs', 'share'], Object.entries(r.torVerdicts).map(([v, c]) => [v, c.requests, c.uniqueIps, pct(c.share)])),
    '## Tor share per hour',
    '',
    mdTable(['hour (UTC)', 'requests', 'exit', 'near', 'not_exit', 'unknown', 'Tor share'], r.hourly.map((h) => [h.hour.slice(11, 16), h.requests, h.exit, h.near, h.notExit, h.unknown, pct(h.torShare)])),
    '## Tor share over the last 30 days',
    '',
    mdTable(['date', 'requests', 'exit', 'Tor share'], r.last30Days.map((d) => [d.date, d.requests, d.exit, pct(d.torShare)])),
    '## Top countries of Tor traffic',
    '',
    mdTable(['country', 'requests', 'unique IPs'], countedRows(r.topTorCountries)),
    '## Top ASNs of Tor traffic',
    '',
    mdTable(['ASN', 'requests', 'unique IPs'], countedRows(r.topTorAsns)),
    '## Top paths requested via Tor',
    '',
    mdTable(['path', 'requests', 'unique IPs'], countedRows(r.topTorPaths)),
    '## Status classes',
    '',
    mdTable(['class', 'requests', 'unique IPs'], countedRows(r.statusClasses)),
    '## Tor data freshness and coverage',
    '',
    `History version ${t.historyVersion ?? 'none'}; IPv4 coverage ${t.coverageFrom ?? '-'} .. ${t.coverageTo ?? '-'}; IPv6 coverage ${t.ipv6CoverageFrom ?? 'none'} .. ${t.ipv6CoverageTo ?? '-'}; margin ${t.policy.marginMinutes} min, coverage slack ${t.policy.coverageSlackMinutes} min.`,
    '',
    t.note,
    '',
    `Uncovered parts of the day (IPv4): ${t.uncoveredMinutes} min.`,
    '',
    mdTable(['from', 'to', 'why'], t.uncovered.map((u) => [u.from, u.to, u.reason])),
    mdTable(['sync source', 'last outcome', 'at', 'last success'], t.lastSync.map((l) => [l.source, l.outcome, l.at, l.lastSuccess ?? 'never'])),
    '## Ingest health',
    '',
    `${r.ingest.rowsStored} rows stored, ${r.ingest.deadLettered} lines dead-lettered.`,
    '',
    mdTable(['reason', 'lines'], r.ingest.deadLetteredByReason.map((d) => [d.reason, d.lines])),
  ].join('\n');
}
