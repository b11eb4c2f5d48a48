/**
 * Ingest-path Tor lookups per second on one core: TorIndex built from the 92 real bulk snapshots
 * (test/fixtures/tor/bulk-snapshots), queried with the real IPs of those snapshots at random times from a day
 * before the history to a day after it (so every verdict code occurs), each run on fresh copies of the IP strings as
 * ingest has them. Median of 5 runs; the last line is JSON:
 *   {"verdicts_per_s": N, ...}
 * Run: node --import tsx bench/tor-verdict.bench.ts
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../shared/core/prng.js';
import { TorHistory } from '../shared/tor/tor-history.js';
import { TorIndex, VERDICT_NAMES } from '../shared/tor/tor-index.js';
import { DEFAULT_TOR_POLICY } from '../shared/tor/tor-policy.js';
import { parseTorSources } from '../shared/tor/tor-source-walk.js';
import { verdict } from '../shared/tor/verdict.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const PAIRS = 1 << 20;
const PASSES = 5;
const RUNS = 5;
const DAY = 86_400_000;

const t0 = performance.now();
const history = new TorHistory();
for await (const r of parseTorSources([join(root, 'test', 'fixtures', 'tor', 'bulk-snapshots')], DEFAULT_TOR_POLICY)) {
  if ('refused' in r) throw r.refused;
  history.add(r.document);
}
const parseMs = performance.now() - t0;
const t1 = performance.now();
const index = TorIndex.fromHistory(history, DEFAULT_TOR_POLICY);
const buildMs = performance.now() - t1;

// deterministic so runs are comparable
const rand = prng(0x9e3779b9);
const ips = [...history.ips()];
const from = index.firstCoveredMs - DAY;
const span = index.lastCoveredMs - index.firstCoveredMs + 2 * DAY;
const qIp: string[] = new Array<string>(PAIRS);
const qT = new Float64Array(PAIRS);
for (let i = 0; i < PAIRS; i++) {
  qIp[i] = ips[Math.floor(rand() * ips.length)]!;
  qT[i] = Math.floor(from + rand() * span);
}

const mix = [0, 0, 0, 0];
/** Ingest parses a new string for every line, whose hash V8 has not computed yet: each run gets fresh copies
 * (made outside the timing), so the figure includes hashing the IP text once per lookup. */
function freshCopies(): string[] {
  return qIp.map((ip) => Buffer.from(ip, 'latin1').toString('latin1'));
}
function run(strings: readonly string[], passes: number): number {
  const start = performance.now();
  let acc = 0;
  for (let p = 0; p < passes; p++) for (let i = 0; i < PAIRS; i++) acc += index.lookup(strings[i]!, qT[i]!);
  const ms = performance.now() - start;
  if (acc < 0) console.log(acc);
  return (passes * PAIRS) / (ms / 1000);
}
for (let i = 0; i < PAIRS; i++) mix[index.lookup(qIp[i]!, qT[i]!)]!++;
run(freshCopies(), 1); // warm-up
const rates: number[] = [];
for (let r = 0; r < RUNS; r++) rates.push(run(freshCopies(), 1));
const warm: number[] = [];
for (let r = 0; r < RUNS; r++) warm.push(run(qIp, PASSES));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

// the evidence-carrying verdict (API and abuse checks), for comparison
const n = 2000;
const te = performance.now();
for (let i = 0; i < n; i++) verdict(history, qIp[i]!, qT[i]!);
const evidencePerS = n / ((performance.now() - te) / 1000);

console.log(`parse 92 snapshots: ${parseMs.toFixed(0)} ms; index build: ${buildMs.toFixed(0)} ms; ${index.ips} IPs`);
console.log(`runs, fresh IP strings (lookups/s): ${rates.map((r) => Math.round(r).toLocaleString('en')).join(', ')}`);
console.log(`runs, IP strings already hashed (lookups/s): ${warm.map((r) => Math.round(r).toLocaleString('en')).join(', ')}`);
console.log(
  JSON.stringify({
    verdicts_per_s: Math.round(median(rates)),
    runs: rates.map(Math.round),
    lookups_per_run: PAIRS,
    hashed_strings_verdicts_per_s: Math.round(median(warm)),
    ips: index.ips,
    observations: history.observations,
    index_build_ms: Math.round(buildMs),
    verdict_mix: Object.fromEntries(VERDICT_NAMES.map((name, i) => [name, mix[i]])),
    evidence_verdicts_per_s: Math.round(evidencePerS),
    node: process.version,
  }),
);
