/** The demo's result as a reader sees it: counts, Tor share, three checks with their evidence, where things are. */
import { relative } from 'node:path';
import type { CheckResult } from '../checks/run-checks.js';
import type { DemoResult } from './demo-run.js';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

export function demoText(r: DemoResult): string {
  const dead = Object.values(r.deadLettered).reduce((a, b) => a + b, 0);
  const total = Object.values(r.verdicts).reduce((a, b) => a + b, 0);
  const out = [
    `torlogs demo: ${r.via === 'kafka' ? 'Kafka → ingest worker' : 'log files'} → embedded ClickHouse, in ${r.seconds.toFixed(1)} s`,
    '',
    `Tor history:   ${n(r.tor.documents)} real documents (CollecTor exit lists 2018-11, bulk exit-list snapshots 2023-06), ${n(r.tor.observations)} observations`,
    `Lines:         ${n(r.lines)} read, ${n(r.stored)} stored, ${n(dead)} dead-lettered${dead ? ` (${Object.entries(r.deadLettered).map(([k, v]) => `${k} ${n(v)}`).join(', ')})` : ''}`,
    `Tor verdicts:  ${['exit', 'near', 'not_exit', 'unknown'].map((v) => `${v} ${n(r.verdicts[v] ?? 0)} (${pct((r.verdicts[v] ?? 0) / Math.max(1, total))})`).join(', ')}`,
    `Tor share:     ${pct(r.torShare)} of the stored requests came from Tor exits (query-time verdicts)`,
    `Known answers: ${n(r.expectedAgree.agree)} of ${n(r.expectedAgree.checked)} generated requests got the verdict the history gives`,
    '',
    'Three retrospective checks (torlogs check <ip> --at <time>):',
    ...r.checks.flatMap(checkLines),
    '',
    `Report:        ${r.report.files.html}`,
    `               (also ${[r.report.files.json, r.report.files.md, r.report.files.csv].map((f) => relative(r.dir, f)).join(', ')} under ${r.dir})`,
    `Data:          ${r.dataDir}`,
    `               try: TORLOGS_DATA_DIR=${r.dataDir} npx torlogs tor status`,
    `                    TORLOGS_DATA_DIR=${r.dataDir} npx torlogs check ${r.checks[0]?.ip ?? '1.2.3.4'} --at ${r.checks[0]?.at ?? '2023-06-02T12:00:00Z'}`,
  ];
  return `${out.join('\n')}\n`;
}

function checkLines(c: CheckResult): string[] {
  const e = c.evidence;
  const lines = [`  [${c.verdict}] ${c.ip} at ${c.at}`, `    ${c.summary}`];
  if (e.intervals.length > 0) {
    const iv = e.intervals[0]!;
    lines.push(`    evidence: ${iv.kind} interval ${iv.from} – ${iv.to} (${iv.observations} observation${iv.observations === 1 ? '' : 's'}, ${iv.relation})${e.relays.length ? `, relays ${e.relays.slice(0, 3).join(', ')}` : ''}`);
  }
  if (e.coverage.missing.length > 0) lines.push(`    missing Tor data: ${e.coverage.missing.slice(0, 2).map(([a, b]) => `${a} – ${b}`).join(', ')}`);
  lines.push(`    activity: ${c.activity.requests} request(s) in the window${c.geo.country ? `; geo ${c.geo.country}` : ''}`);
  return lines;
}
