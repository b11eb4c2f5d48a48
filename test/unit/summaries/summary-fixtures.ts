/**
 * Test data for the summaries tests, built in memory from real fixtures (the fixture files are never edited):
 *   - the real apache_logs lines, re-timed: 17/18 May 2015 → 3 Jun 2023 (bulk-snapshot period), 19/20 May 2015 →
 *     31 Oct 2018 (exit-list period), times of day unchanged
 *   - one line per real Tor exit observation at its own time (bulk snapshot 2023-06-03T06:30:05Z; exit list
 *     2018-11-01-00-02-01 scans), so those requests are `exit` once the history is imported
 *   - generated background traffic (test/helpers/generate-lines.ts) over both days, with MaxMind test-database IPs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.js';
import { clfTime, generateLines } from '../../helpers/generate-lines.js';

export const DAY_A = Date.UTC(2023, 5, 3);
export const DAY_B = Date.UTC(2018, 9, 31);
export const BULK_SNAPSHOT = '2023-06-03T06-30-05Z.lst';
export const EXIT_LIST = '2018-11-01-00-02-01';
const GEO_IPS = ['81.2.69.142', '216.160.83.56', '89.160.20.112', '2001:218::1', '1.128.0.1', '12.81.92.1'];

export function retimedApacheLines(): string[] {
  const map: Record<string, string> = { '17/May/2015': '03/Jun/2023', '18/May/2015': '03/Jun/2023', '19/May/2015': '31/Oct/2018', '20/May/2015': '31/Oct/2018' };
  return readFileSync(fixture('logs', 'elastic-examples', 'apache_logs'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.replace(/\[(\d\d\/May\/2015)/, (m, d: string) => `[${map[d] ?? d}`));
}

export function bulkExitIps(): string[] {
  return readFileSync(fixture('tor', 'bulk-snapshots', BULK_SNAPSHOT), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** (ip, scan time) of every ExitAddress line of the 2018 exit list */
export function exitScans(): Array<{ ip: string; ms: number }> {
  return [...readFileSync(fixture('tor', 'collector-exit-lists', EXIT_LIST), 'utf8').matchAll(/^ExitAddress (\S+) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/gm)].map((m) => ({ ip: m[1]!, ms: Date.parse(`${m[2]}T${m[3]}Z`) }));
}

const line = (ip: string, ms: number, path: string, status: number, bytes: number) => `${ip} - - [${clfTime(ms)}] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"`;

/** lines naming exit IPs at the time a Tor source saw them; `every` thins the list */
export function torLines(every = 4): string[] {
  const out: string[] = [];
  const paths = ['/login', '/checkout', '/', '/wp-login.php', '/search?q=tor'];
  bulkExitIps().forEach((ip, i) => {
    if (i % every === 0) out.push(line(ip, Date.UTC(2023, 5, 3, 6, 30, 5) + (i % 600) * 1000, paths[i % paths.length]!, i % 7 === 0 ? 404 : 200, 1000 + i));
  });
  exitScans().forEach((s, i) => {
    if (i % every === 0 && s.ms >= DAY_B && s.ms < DAY_B + 86_400_000) out.push(line(s.ip, s.ms, paths[i % paths.length]!, i % 5 === 0 ? 403 : 200, 500 + i));
  });
  return out;
}

/** background traffic over both days: synthetic IPs, geo test IPs, and some exit IPs at any time of day */
export function backgroundLines(perDay = 1500): string[] {
  const tor = bulkExitIps().slice(0, 40);
  const ips = [...GEO_IPS, ...tor, ...Array.from({ length: 60 }, (_, i) => `198.51.${i}.${(i * 7) % 250 + 1}`)];
  const out: string[] = [];
  for (const day of [DAY_A, DAY_B]) for (const g of generateLines(perDay, { seed: day % 1000, fromMs: day, stepMs: Math.floor(86_400_000 / perDay), ips, sites: ['shop.example', 'blog.example'] })) out.push(g.line);
  return out;
}

/** writes the three files in `dir` and returns [path, site] pairs to ingest */
export function writeSummaryInputs(dir: string): Array<[string, string]> {
  const files: Array<[string, string, string[]]> = [
    ['apache.log', 'shop.example', retimedApacheLines()],
    ['tor.log', 'blog.example', torLines()],
    ['background.log', 'blog.example', backgroundLines()],
  ];
  return files.map(([name, site, lines]) => {
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
    return [join(dir, name), site] as [string, string];
  });
}
