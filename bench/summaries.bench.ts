/**
 * Daily rollup time for one day holding 1,000,000 requests on the embedded store. Run: npm run bench:summaries
 * [-- --rows 1000000 --runs 3]. Rows are made in the store (INSERT … SELECT FROM numbers()): 3 sites, 60,000
 * client IPs of which 2,000 are real Tor exits of the bulk-snapshot fixture of 2023-06-03 (imported as Tor history,
 * 92 snapshots), 40 countries, 500 ASNs, 2,000 paths. The daily rollup evaluates the query-time Tor verdict of
 * every row (dictionaries) and every dimension in one pass (shared/summaries/rollup-sql.ts). Prints one line per
 * run, then a final JSON line {"daily_rollup_ms": median, …, "target_ms": 5000}.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStore } from '../shared/store/embedded-store.js';
import { migrate } from '../shared/store/migrate.js';
import { computeWindow } from '../shared/summaries/window-ledger.js';
import { importTorPaths } from '../shared/tor-store/tor-import.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('--rows', 1_000_000);
const RUNS = arg('--runs', 3);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DAY = Date.UTC(2023, 5, 3);

const dir = mkdtempSync(join(tmpdir(), 'torlogs-bench-sum-'));
const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
try {
  await migrate(store);
  await importTorPaths(store, [here('../test/fixtures/tor/bulk-snapshots')]);
  const exits = readFileSync(here('../test/fixtures/tor/bulk-snapshots/2023-06-03T06-30-05Z.lst'), 'utf8').split('\n').filter((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l.trim())).slice(0, 2000);
  const t0 = performance.now();
  await store.command(
    `INSERT INTO \${DB}.requests (ts, site, ip, ip_source, peer_ip, method, path, protocol, status, bytes, country, asn, source, source_partition, source_offset, line_index)
     SELECT toDateTime64('2023-06-03 00:00:00', 3, 'UTC') + toIntervalMillisecond(intDiv(number * 86400000, {rows:UInt64})) AS ts,
       ['shop.example', 'blog.example', 'api.example'][number % 3 + 1] AS site,
       if(cityHash64(number, 1) % 30 < 1, toIPv6(concat('::ffff:', {exits:Array(String)}[cityHash64(number, 2) % length({exits:Array(String)}) + 1])),
          toIPv6(concat('::ffff:', IPv4NumToString(toUInt32(0x0B000000 + cityHash64(number, 3) % 58000))))) AS ip,
       'remote_addr' AS ip_source, ip AS peer_ip, 'GET' AS method,
       concat('/page/', toString(cityHash64(number, 4) % 2000)) AS path, 'HTTP/1.1' AS protocol,
       [200, 200, 200, 304, 301, 404, 403, 500][cityHash64(number, 5) % 8 + 1] AS status,
       cityHash64(number, 6) % 50000 AS bytes,
       ['US', 'DE', 'FR', 'NL', 'GB', 'SE', 'CH', 'RO', 'CA', 'JP'][cityHash64(number, 7) % 10 + 1] AS country,
       toUInt32(cityHash64(number, 8) % 500 + 1000) AS asn,
       'bench' AS source, 0 AS source_partition, number AS source_offset, 0 AS line_index
     FROM numbers({rows:UInt64})`,
    { params: { rows: ROWS, exits } },
  );
  const loadMs = performance.now() - t0;
  const times: number[] = [];
  let requests = 0;
  for (let i = 0; i < RUNS; i++) {
    const c = await computeWindow(store, { grain: 'day', startMs: DAY }, i === 0 ? 'new' : 'on_demand');
    requests = c.requests;
    times.push(c.ms);
    process.stdout.write(`run ${i + 1}: daily rollup of ${c.requests} requests in ${c.ms.toFixed(0)} ms\n`);
  }
  const hour = await computeWindow(store, { grain: 'hour', startMs: DAY + 12 * 3_600_000 }, 'new');
  const verdicts = await store.query<{ v: string; n: string }>(
    "SELECT key AS v, requests AS n FROM ${DB}.summary_rollups WHERE grain = 'day' AND site = '*' AND dim = 'tor_verdict' AND run_id = (SELECT argMax(run_id, started_at) FROM ${DB}.summary_windows WHERE grain = 'day') ORDER BY v",
  );
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  process.stdout.write(
    `${JSON.stringify({ daily_rollup_ms: Math.round(median), daily_rollup_runs_ms: times.map(Math.round), hourly_rollup_ms: Math.round(hour.ms), requests, load_ms: Math.round(loadMs), verdicts: Object.fromEntries(verdicts.map((v) => [v.v, Number(v.n)])), target_ms: 5000, ok: median <= 5000 })}\n`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
