/**
 * Geo lookups per second on one core, through createGeoEnricher with the MaxMind test databases (City + ASN),
 * with the per-IP memo (three strategies, two sizes) and without it. Run: node --import tsx bench/geo.bench.ts
 * [--runs 5] [--lookups 1000000]. Prints one line per case, then a final JSON line.
 *
 * Streams (deterministic):
 *  - apache: client IPs drawn from the 10,000 real lines of test/fixtures/logs/elastic-examples/apache_logs with
 *    their real frequencies (1,753 distinct, the top one 4.8 % of lines).
 *  - zipf: 200,000 distinct addresses with Zipf(s = 1) popularity: the real apache IPs ranked by frequency first,
 *    then addresses derived from them; every third one is inside an IPv6 network of the City test database, so
 *    those decode a full record (the other addresses have no record there).
 * Each timed run looks up fresh string copies (as a parser would hand them over, hash not yet computed).
 * Caveat: the test databases are small (shallow trees, ~250 networks); real GeoLite2 City records and trees cost
 * more per uncached lookup (peers.md §3.3 measured 3.1–3.4 µs), so the memo's gain is larger in production.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGeoEnricher, type ReloadableGeoEnricher } from '../shared/geo/geo-enricher.js';
import type { MemoKind } from '../shared/core/bounded-memo.js';
import { prng } from '../shared/core/prng.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 5);
const LOOKUPS = arg('--lookups', 1_000_000);

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const CITY = here('../test/fixtures/mmdb/GeoIP2-City-Test.mmdb');
const ASN = here('../test/fixtures/mmdb/GeoLite2-ASN-Test.mmdb');
const lines = readFileSync(here('../test/fixtures/logs/elastic-examples/apache_logs'), 'utf8').split('\n').filter((l) => l !== '');
const lineIps = lines.map((l) => l.slice(0, l.indexOf(' ')));

const rng = prng;

function apacheStream(n: number): string[] {
  const r = rng(1);
  return Array.from({ length: n }, () => lineIps[Math.floor(r() * lineIps.length)]!);
}

function zipfStream(n: number, distinct: number): string[] {
  const counts = new Map<string, number>();
  for (const ip of lineIps) counts.set(ip, (counts.get(ip) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([ip]) => ip);
  // City test networks with records in IPv6 (JP, KR, DE, NO ... with full multi-language names)
  const v6nets = ['2001:218', '2001:220', '2001:238', '2001:250', '2001:2e0', '2a02:cf40'];
  const universe = ranked.slice();
  const seen = new Set(universe);
  const r = rng(2);
  while (universe.length < distinct) {
    const i = universe.length;
    let ip: string;
    if (i % 3 === 0) {
      const h = () => Math.floor(r() * 65536).toString(16);
      ip = `${v6nets[i % v6nets.length]}:${h()}:${h()}::${h()}`;
    } else {
      const base = ranked[i % ranked.length]!.split('.');
      ip = `${base[0]}.${base[1]}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
    }
    if (!seen.has(ip)) {
      seen.add(ip);
      universe.push(ip);
    }
  }
  const cdf = new Float64Array(distinct);
  let sum = 0;
  for (let k = 0; k < distinct; k++) cdf[k] = sum += 1 / (k + 1);
  const z = rng(3);
  return Array.from({ length: n }, () => {
    const u = z() * sum;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return universe[lo]!;
  });
}

/** fresh string objects, as a parser hands them over */
const fresh = (s: readonly string[]) => s.map((ip) => Buffer.from(ip, 'latin1').toString('latin1'));

interface Result {
  perSecond: number;
  memoHitRatio: number;
  /** share of lookups whose answer has a country (a decoded City record) */
  recordRatio: number;
}

function measure(make: () => ReloadableGeoEnricher, stream: readonly string[]): Result {
  const g = make();
  let sink = 0;
  const pass = (ips: readonly string[]) => {
    for (let i = 0; i < ips.length; i++) sink += g.lookup(ips[i]!).dbBuild;
  };
  pass(fresh(stream)); // warm-up: fills the memo, lets the optimizing compiler settle
  const rates: number[] = [];
  const before = { ...g.stats };
  for (let run = 0; run < RUNS; run++) {
    const ips = fresh(stream);
    const t0 = process.hrtime.bigint();
    pass(ips);
    rates.push(ips.length / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const lookups = g.stats.lookups - before.lookups;
  g.close();
  if (sink === 0) throw new Error('lookups returned nothing');
  const ratio = (k: 'memoHits' | 'geoHits') => (g.stats[k] - before[k]) / lookups;
  return { perSecond: Math.round(rates[Math.floor(rates.length / 2)]!), memoHitRatio: ratio('memoHits'), recordRatio: ratio('geoHits') };
}

const enricher = (memoSize: number, memo: MemoKind = 'two-generation') => () =>
  createGeoEnricher({ cityDbPath: CITY, asnDbPath: ASN, memoSize, memo, watch: false });

const streams = { apache: apacheStream(LOOKUPS), zipf: zipfStream(LOOKUPS, 200_000) };
const cases: Array<[key: string, label: string, make: () => ReloadableGeoEnricher, stream: keyof typeof streams]> = [
  ['geo_apache_memo_lookups_per_s', 'apache, memo two-generation 100k (default)', enricher(100_000), 'apache'],
  ['geo_apache_no_memo_lookups_per_s', 'apache, no memo', enricher(0), 'apache'],
  ['geo_zipf_memo_lookups_per_s', 'zipf 200k, memo two-generation 100k (default)', enricher(100_000), 'zipf'],
  ['geo_zipf_lru_100k_lookups_per_s', 'zipf 200k, memo LRU 100k', enricher(100_000, 'lru'), 'zipf'],
  ['geo_zipf_clear_all_100k_lookups_per_s', 'zipf 200k, memo clear-all 100k', enricher(100_000, 'clear-all'), 'zipf'],
  ['geo_zipf_two_generation_10k_lookups_per_s', 'zipf 200k, memo two-generation 10k', enricher(10_000), 'zipf'],
  ['geo_zipf_lru_10k_lookups_per_s', 'zipf 200k, memo LRU 10k', enricher(10_000, 'lru'), 'zipf'],
  ['geo_zipf_clear_all_10k_lookups_per_s', 'zipf 200k, memo clear-all 10k', enricher(10_000, 'clear-all'), 'zipf'],
  ['geo_zipf_no_memo_lookups_per_s', 'zipf 200k, no memo', enricher(0), 'zipf'],
];

const result: Record<string, number> = {};
for (const [key, label, make, stream] of cases) {
  const { perSecond, memoHitRatio, recordRatio } = measure(make, streams[stream]);
  result[key] = perSecond;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
  console.log(`${label.padEnd(46)} ${String(perSecond).padStart(9)} lookups/s ${(1e9 / perSecond).toFixed(0).padStart(5)} ns  memo hits ${pct(memoHitRatio)}  with country ${pct(recordRatio)}`);
}
console.log(JSON.stringify(result));
