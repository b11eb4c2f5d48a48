/**
 * Parser throughput on one core: the 10,000 real lines of test/fixtures/logs/elastic-examples/apache_logs looped,
 * warmed up, median of 5 timed runs per parser. Run: node --import tsx bench/parse.bench.ts [--runs 5] [--loops 40]
 * Prints one line per parser, then a final JSON line: {"parse_combined_lines_per_s": N, ...}.
 * Budget context (shared/research/peers.md §3.5): the whole parse + enrich path has ~2.5 µs per line at 400k/s.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ParsedLine, StageResult } from '../shared/model/parsed-line.js';
import { getParser } from '../shared/parse/parser-registry.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 5);
const LOOPS = arg('--loops', 40);

const file = fileURLToPath(new URL('../test/fixtures/logs/elastic-examples/apache_logs', import.meta.url));
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

/** the same requests as Caddy JSON access-log lines, to measure the JSON path on the same data */
function asCaddy(all: string[]): string[] {
  const p = getParser('combined');
  return all.map((l) => {
    const r = p(l);
    if (!r.ok) throw new Error(`fixture line rejected: ${l}`);
    const v = r.value;
    return JSON.stringify({
      level: 'info', ts: v.tsMs / 1000, logger: 'http.log.access', msg: 'handled request',
      request: { remote_ip: v.remoteAddr, remote_port: '50000', proto: v.protocol, method: v.method, host: 'semicomplete.com', uri: v.path, headers: { 'User-Agent': [v.userAgent], Referer: [v.referer] } },
      bytes_read: 0, user_id: '', duration: 0.0012, size: v.bytes, status: v.status,
    });
  });
}

function measure(parse: (line: string) => StageResult<ParsedLine>, input: string[]): { perSecond: number; accepted: number } {
  let accepted = 0;
  let sink = 0;
  const pass = () => {
    accepted = 0;
    for (let i = 0; i < input.length; i++) {
      const r = parse(input[i]!);
      if (r.ok) {
        accepted++;
        sink += r.value.status;
      }
    }
  };
  for (let w = 0; w < 20; w++) pass(); // warm-up: let the optimizing compiler settle
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < LOOPS; k++) pass();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push((input.length * LOOPS) / s);
  }
  rates.sort((a, b) => a - b);
  if (sink === 0) throw new Error('nothing parsed');
  return { perSecond: Math.round(rates[Math.floor(rates.length / 2)]!), accepted };
}

const NGINX = 'nginx:$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
const APACHE = 'apache:%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"';
const caddyLines = asCaddy(lines);
const benches: Array<[string, string, string[]]> = [
  ['parse_combined_lines_per_s', 'combined', lines],
  ['parse_auto_lines_per_s', 'auto', lines],
  ['parse_nginx_compiled_lines_per_s', NGINX, lines],
  ['parse_apache_compiled_lines_per_s', APACHE, lines],
  ['parse_caddy_json_lines_per_s', 'caddy', caddyLines],
];

const result: Record<string, number> = {};
let failed = false;
for (const [key, spec, input] of benches) {
  const { perSecond, accepted } = measure(getParser(spec), input);
  const ok = accepted === input.length;
  failed ||= !ok;
  result[key] = perSecond;
  console.log(`${key.padEnd(36)} ${perSecond.toLocaleString('en-US').padStart(11)} lines/s  (${(1e9 / perSecond).toFixed(0)} ns/line, ${accepted}/${input.length} accepted${ok ? '' : ' — EXPECTED ALL'})`);
}
console.log(JSON.stringify(result));
if (failed) process.exitCode = 1;
