/**
 * Tor history in the embedded store:
 *   import_month_s       `importTorPaths` of one month (720) of hourly TorDNSEL exit lists in CollecTor's format,
 *                        generated from the relays of the 4 real 2018-11 lists (each relay online for random
 *                        stretches; Published/LastStatus/scan times as the real lists have them), into a fresh store
 *   sql_verdicts_10k_ms  10,000 (ip, time) pairs through `torlogs_tor_verdict` (parameters in, verdicts out) with the
 *                        store holding 1,000,000 requests; median of 5 runs (the first run, which loads the
 *                        dictionaries, is reported apart as sql_verdicts_10k_cold_ms)
 *   requests_tor_1m_ms   verdict of every one of the 1,000,000 stored requests, grouped by verdict
 * Options: --hours N (default 720), --requests N (default 1000000), --keep DIR (keep the store there).
 * The last line is JSON. Run: node --import tsx bench/tor-store.bench.ts
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openEmbeddedStore } from '../shared/store/embedded-store.js';
import { migrate } from '../shared/store/migrate.js';
import { importTorPaths } from '../shared/tor-store/tor-import.js';
import { toIPv6Column } from '../shared/net/ip.js';
import { prng } from '../shared/core/prng.js';

const { values: opt } = parseArgs({ options: { hours: { type: 'string', default: '720' }, requests: { type: 'string', default: '1000000' }, keep: { type: 'string' } } });
const HOURS = Number(opt.hours);
const REQUESTS = Number(opt.requests);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const rnd = prng(42);
const say = (s: string) => process.stderr.write(`${s}\n`);

// relays of the real lists: fingerprint and exit addresses
const relays = new Map<string, Set<string>>();
for (const f of ['2018-11-01-00-02-01', '2018-11-01-01-02-01', '2018-11-02-00-02-01', '2018-11-02-01-02-01']) {
  let fp = '';
  for (const line of readFileSync(join(root, 'test', 'fixtures', 'tor', 'collector-exit-lists', f), 'utf8').split('\n')) {
    if (line.startsWith('ExitNode ')) relays.set((fp = line.slice(9).trim()), relays.get(line.slice(9).trim()) ?? new Set());
    else if (line.startsWith('ExitAddress ')) relays.get(fp)!.add(line.split(' ')[1]!);
  }
}
const pool = [...relays.entries()].map(([fp, ips]) => ({ fp, ips: [...ips], on: [] as Array<[number, number]>, published: 0 }));
// each relay is online for 2–5 random stretches of 1–15 days (about 900 entries per list, as the real ones)
for (const r of pool) for (let k = 2 + Math.floor(rnd() * 4); k > 0; k--) {
  const start = Math.floor(rnd() * HOURS) - 48;
  r.on.push([start, start + 24 + Math.floor(rnd() * 336)]);
}
const START = Date.UTC(2018, 11, 1, 0, 2, 1); // 2018-12-01 00:02:01, like CollecTor's download minute
const HOUR = 3_600_000;
const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const dir = opt.keep ?? mkdtempSync(join(tmpdir(), 'torlogs-bench-tor-'));
const listDir = join(dir, 'exit-lists');
mkdirSync(listDir, { recursive: true });
let entries = 0;
for (let h = 0; h < HOURS; h++) {
  const d = START + h * HOUR;
  const out = [`@type tordnsel 1.0`, `Downloaded ${fmt(d)}`];
  for (const r of pool) {
    // listed when online within the last 24 h (lists keep scans for a day)
    const onFor = r.on.find(([a, b]) => h >= a && h - 24 <= b);
    if (!onFor) continue;
    const last = Math.min(h, onFor[1]);
    if (r.published === 0 || d - r.published > 18 * HOUR) r.published = d - Math.floor(rnd() * 18 * HOUR);
    out.push(`ExitNode ${r.fp}`, `Published ${fmt(Math.min(r.published, START + last * HOUR - 60_000))}`, `LastStatus ${fmt(START + last * HOUR - 120_000)}`);
    for (const ip of r.ips) out.push(`ExitAddress ${ip} ${fmt(START + last * HOUR - Math.floor(rnd() * 23 * HOUR) - 300_000)}`);
    entries++;
  }
  writeFileSync(join(listDir, new Date(d).toISOString().slice(0, 19).replace(/[T:]/g, '-')), out.join('\n') + '\n');
}
say(`generated ${HOURS} hourly exit lists (${entries} entries, ${pool.length} relays) in ${listDir}`);

const store = openEmbeddedStore({ dataDir: join(dir, 'data'), database: 'torlogs' });
await migrate(store);
const t0 = performance.now();
const imp = await importTorPaths(store, [listDir], { onProgress: (n, total) => n % 72 === 0 && say(`imported ${n}/${total}`) });
const importS = (performance.now() - t0) / 1000;
if (imp.imported !== HOURS || imp.refused.length > 0 || imp.invalidLineCount > 0) throw new Error(`import: ${JSON.stringify({ ...imp, invalidLines: imp.invalidLines.slice(0, 3) })}`);
say(`import: ${importS.toFixed(1)} s, ${imp.observations} observations`);

// 1,000,000 requests over the month: 10 % from exit addresses of the pool, the rest from random IPv4
const t1 = performance.now();
const exitIps = [...new Set(pool.flatMap((r) => r.ips))];
await store.command(
  `INSERT INTO \${DB}.requests (ts, site, ip, ip_source, peer_ip, method, path, status, bytes, source, source_partition, source_offset, line_index)
   SELECT toDateTime64({from:Int64} / 1000 + (number * 7919 % {span:UInt64}), 3, 'UTC'), 'bench.example', ip, 'remote_addr', ip, 'GET',
          concat('/p/', toString(number % 500)), 200, 1000, 'bench', 0, number, 0
   FROM (SELECT number, if(number % 10 = 0, toIPv6(arrayElement({pool:Array(String)}, 1 + intDiv(number, 10) % {n:UInt32})), toIPv6(IPv4NumToString(toUInt32(cityHash64(number) % 4294967296)))) AS ip
         FROM numbers({rows:UInt64}))`,
  { params: { from: START, span: Math.floor((HOURS * HOUR) / 1000), pool: exitIps.map(toIPv6Column), n: exitIps.length, rows: REQUESTS } },
);
say(`inserted ${REQUESTS} requests in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

const pairsIp: string[] = [];
const pairsT: number[] = [];
for (let i = 0; i < 10_000; i++) {
  pairsIp.push(toIPv6Column(i % 2 === 0 ? exitIps[Math.floor(rnd() * exitIps.length)]! : `198.51.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`));
  pairsT.push(START - 2 * 86_400_000 + Math.floor(rnd() * (HOURS * HOUR + 4 * 86_400_000)));
}
const verdictSql = `SELECT v, count() AS n FROM (
  SELECT torlogs_tor_verdict(p.1, fromUnixTimestamp64Milli(p.2, 'UTC')) AS v FROM (SELECT arrayJoin(arrayZip({ips:Array(IPv6)}, {ts:Array(Int64)})) AS p)
) GROUP BY v ORDER BY v`;
const times: number[] = [];
let mix: Array<{ v: string; n: string }> = [];
for (let r = 0; r < 6; r++) {
  const t = performance.now();
  mix = await store.query(verdictSql, { params: { ips: pairsIp, ts: pairsT } });
  times.push(performance.now() - t);
}
const cold = times.shift()!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
if (mix.reduce((s, m) => s + Number(m.n), 0) !== 10_000) throw new Error(`verdicts: ${JSON.stringify(mix)}`);

const t2 = performance.now();
const all = await store.query<{ v: string; n: string }>('SELECT tor_verdict AS v, count() AS n FROM ${DB}.requests_tor GROUP BY v ORDER BY v');
const scanMs = performance.now() - t2;
await store.close();
if (!opt.keep) rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    import_month_s: Number(importS.toFixed(2)),
    import_files: HOURS,
    import_observations: imp.observations,
    sql_verdicts_10k_ms: Math.round(median(times)),
    sql_verdicts_10k_runs_ms: times.map(Math.round),
    sql_verdicts_10k_cold_ms: Math.round(cold),
    sql_verdict_mix: Object.fromEntries(mix.map((m) => [m.v, Number(m.n)])),
    requests: REQUESTS,
    requests_tor_1m_ms: Math.round(scanMs),
    requests_tor_mix: Object.fromEntries(all.map((m) => [m.v, Number(m.n)])),
  }),
);
