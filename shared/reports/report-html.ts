/**
 * The report as one self-contained HTML file: inline CSS and SVG charts, no script, no external resource. Every
 * number printed carries data-field (its JSON path), so the page can be checked against the JSON.
 */
import type { Counted, ReportData } from './report-data.js';
import { pct } from './report-text.js';
import { barList, columnChart, esc, lineChart } from './svg-charts.js';

const n = (field: string, v: number) => `<td class="num" data-field="${esc(field)}">${v}</td>`;
const p = (field: string, v: number) => `<td class="num" data-field="${esc(field)}" data-value="${v}">${pct(v)}</td>`;

const unknownKey = (k: string) => (k === '' || k === '0' ? '(unknown)' : k);

function countedTable(path: string, head: string, list: Counted[], label: (k: string) => string = unknownKey): string {
  if (list.length === 0) return '<p><em>none</em></p>';
  const rows = list.map((c, i) => `<tr><td>${esc(label(c.key))}</td>${n(`${path}.${i}.requests`, c.requests)}${n(`${path}.${i}.uniqueIps`, c.uniqueIps)}</tr>`).join('');
  return `<table><tr><th>${esc(head)}</th><th>requests</th><th>unique IPs</th></tr>${rows}</table>`;
}

export function reportHtml(r: ReportData): string {
  const site = r.site === '*' ? 'all sites' : r.site;
  const t = r.torData;
  const verdicts = Object.entries(r.torVerdicts)
    .map(([v, c]) => `<tr><td>${v}</td>${n(`torVerdicts.${v}.requests`, c.requests)}${n(`torVerdicts.${v}.uniqueIps`, c.uniqueIps)}${p(`torVerdicts.${v}.share`, c.share)}</tr>`)
    .join('');
  const hourlyRows = r.hourly.map((h, i) => `<tr><td>${h.hour.slice(11, 16)}</td>${n(`hourly.${i}.requests`, h.requests)}${n(`hourly.${i}.exit`, h.exit)}${n(`hourly.${i}.near`, h.near)}${n(`hourly.${i}.notExit`, h.notExit)}${n(`hourly.${i}.unknown`, h.unknown)}${p(`hourly.${i}.torShare`, h.torShare)}</tr>`).join('');
  const charts = [
    columnChart('hourly-tor-share', 'Tor share (exit) per hour, UTC', r.hourly.map((h, i) => ({ label: h.hour.slice(11, 13), value: h.torShare, field: `hourly.${i}.torShare` })), pct),
    lineChart('daily-tor-share', 'Tor share (exit) over the last 30 days', r.last30Days.map((d, i) => ({ label: d.date.slice(5), value: d.torShare, field: `last30Days.${i}.torShare` })), pct),
    barList('top-tor-countries', 'Top countries of Tor traffic (requests)', r.topTorCountries.map((c, i) => ({ label: unknownKey(c.key), value: c.requests, field: `topTorCountries.${i}.requests` })), String),
    barList('top-tor-asns', 'Top ASNs of Tor traffic (requests)', r.topTorAsns.map((c, i) => ({ label: c.key === '0' ? '(unknown)' : `AS${c.key}`, value: c.requests, field: `topTorAsns.${i}.requests` })), String),
    barList('top-tor-paths', 'Top paths requested via Tor (requests)', r.topTorPaths.map((c, i) => ({ label: c.key, value: c.requests, field: `topTorPaths.${i}.requests` })), String),
  ];
  const uncovered = t.uncovered.length
    ? `<table><tr><th>from</th><th>to</th><th>why</th></tr>${t.uncovered.map((u) => `<tr><td>${esc(u.from)}</td><td>${esc(u.to)}</td><td>${esc(u.reason)}</td></tr>`).join('')}</table>`
    : '<p>The whole day is covered.</p>';
  const sync = t.lastSync.length
    ? `<table><tr><th>sync source</th><th>last outcome</th><th>at</th><th>last success</th></tr>${t.lastSync.map((l) => `<tr><td>${esc(l.source)}</td><td>${esc(l.outcome)}</td><td>${esc(l.at)}</td><td>${esc(l.lastSuccess ?? 'never')}</td></tr>`).join('')}</table>`
    : '<p>No live sync has run (history from imports only).</p>';
  const dead = r.ingest.deadLetteredByReason.length
    ? `<table><tr><th>reason</th><th>lines</th></tr>${r.ingest.deadLetteredByReason.map((d, i) => `<tr><td>${esc(d.reason)}</td>${n(`ingest.deadLetteredByReason.${i}.lines`, d.lines)}</tr>`).join('')}</table>`
    : '<p>No dead letters.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>torlogs report ${esc(r.date)} — ${esc(site)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:760px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}td.num{text-align:right}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}.note{background:#f6f0f9;padding:8px}
</style></head>
<body>
<h1>torlogs report ${esc(r.date)} — ${esc(site)}</h1>
<p>Generated ${esc(r.generatedAt)}. Tor status is evaluated at query time against the Tor history as of that time.</p>
<h2>Totals</h2>
<table><tr><th>requests</th><th>bytes</th><th>unique IPs</th><th>Tor share (exit)</th></tr><tr>${n('totals.requests', r.totals.requests)}${n('totals.bytes', r.totals.bytes)}${n('totals.uniqueIps', r.totals.uniqueIps)}${p('totals.torShare', r.totals.torShare)}</tr></table>
<h2>Tor verdicts</h2>
<table><tr><th>verdict</th><th>requests</th><th>unique IPs</th><th>share</th></tr>${verdicts}</table>
<h2>Charts</h2>
${charts.join('\n')}
<h2>Top countries of Tor traffic</h2>
${countedTable('topTorCountries', 'country', r.topTorCountries)}
<h2>Top ASNs of Tor traffic</h2>
${countedTable('topTorAsns', 'ASN', r.topTorAsns)}
<h2>Top paths requested via Tor</h2>
${countedTable('topTorPaths', 'path', r.topTorPaths, (k) => k)}
<h2>Per hour</h2>
<table><tr><th>hour</th><th>requests</th><th>exit</th><th>near</th><th>not_exit</th><th>unknown</th><th>Tor share</th></tr>${hourlyRows}</table>
<h2>Tor data freshness and coverage</h2>
<p>History version ${esc(t.historyVersion ?? 'none')}; IPv4 coverage ${esc(t.coverageFrom ?? '-')} .. ${esc(t.coverageTo ?? '-')}; IPv6 coverage ${esc(t.ipv6CoverageFrom ?? 'none')} .. ${esc(t.ipv6CoverageTo ?? '-')}; margin ${t.policy.marginMinutes} min, coverage slack ${t.policy.coverageSlackMinutes} min.</p>
<p class="note">${esc(t.note)}</p>
<table><tr><th>unknown requests</th><th>unknown share</th><th>uncovered minutes</th></tr><tr>${n('torData.unknownRequests', t.unknownRequests)}${p('torData.unknownShare', t.unknownShare)}${n('torData.uncoveredMinutes', t.uncoveredMinutes)}</tr></table>
${uncovered}
${sync}
<h2>Ingest health</h2>
<table><tr><th>rows stored</th><th>lines dead-lettered</th></tr><tr>${n('ingest.rowsStored', r.ingest.rowsStored)}${n('ingest.deadLettered', r.ingest.deadLettered)}</tr></table>
${dead}
</body></html>
`;
}
