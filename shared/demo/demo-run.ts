/**
 * `torlogs demo`: the whole product on the bundled real data in a fresh embedded store. Imports the real Tor history
 * (CollecTor exit lists, bulk snapshots), replays the real access logs re-timed into its period plus generated
 * traffic with known verdicts (shared/demo/demo-traffic.ts), from files or through the local Kafka broker, runs the
 * summaries, writes the reports, and checks three requests (exit, not_exit, unknown) through the checks library.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { openEmbeddedStore } from '../store/embedded-store.js';
import { ensureSchema } from '../store/ensure-schema.js';
import type { ClickHouseStore } from '../store/store.js';
import { importTorPaths } from '../tor-store/tor-import.js';
import { readTorPolicy } from '../tor-store/tor-policy-store.js';
import { fromIPv6Column } from '../net/ip.js';
import { loadHistoryView } from '../tor-store/store-history-view.js';
import { runChecks, type CheckResult } from '../checks/run-checks.js';
import { summarizeRange } from '../summaries/summarize.js';
import { writeReport, type WrittenReport } from '../reports/report-writer.js';
import { ALL_SITES } from '../reports/report-data.js';
import { demoCases, retimeLines, spreadLines, visitorLines, type DemoCases, type DemoRequest } from './demo-traffic.js';
import { ingestDemoFiles, ingestDemoKafka, type DemoInput } from './demo-ingest.js';
import { prng } from '../core/prng.js';

export interface DemoOptions {
  dir: string;
  /** repository root (bundled data under test/fixtures) */
  root: string;
  kafka: boolean;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  say: (line: string) => void;
}

export interface DemoResult {
  dir: string;
  dataDir: string;
  via: 'files' | 'kafka';
  tor: { documents: number; observations: number };
  lines: number;
  stored: number;
  deadLettered: Record<string, number>;
  verdicts: Record<string, number>;
  torShare: number;
  expectedAgree: { checked: number; agree: number };
  checks: CheckResult[];
  report: WrittenReport;
  seconds: number;
}

const DAY = 86_400_000;

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const t0 = performance.now();
  const fx = (...p: string[]) => join(o.root, 'test', 'fixtures', ...p);
  const dataDir = join(o.dir, 'data');
  const config: Config = {
    ...o.config, dataDir, clickhouseUrl: undefined, reportsDir: join(o.dir, 'reports'), reportWebhookUrl: undefined,
    geoCityDb: o.config.geoCityDb ?? fx('mmdb', 'GeoLite2-City-Test.mmdb'), geoAsnDb: o.config.geoAsnDb ?? fx('mmdb', 'GeoLite2-ASN-Test.mmdb'),
  };
  mkdirSync(join(o.dir, 'logs'), { recursive: true });
  const store = openEmbeddedStore({ dataDir, database: config.clickhouseDatabase });
  try {
    await ensureSchema(store, config);
    const torDirs = [fx('tor', 'collector-exit-lists'), fx('tor', 'bulk-snapshots')];
    o.say(`1/6 importing the real Tor history (${torDirs.map((d) => d.slice(o.root.length + 1)).join(', ')})`);
    const imp = await importTorPaths(store, torDirs, { onProgress: (n, total) => n % 24 === 0 && o.say(`    ${n}/${total} documents`) });
    if (imp.refused.length > 0) throw new TorlogsError('internal', `bundled Tor data refused: ${JSON.stringify(imp.refused[0])}`);
    o.say(`    ${imp.imported + imp.alreadyImported} documents, ${imp.observations} observations`);

    o.say('2/6 preparing traffic: real access logs re-timed into the history, plus requests with known verdicts');
    const policy = await readTorPolicy(store);
    // the imported history, read back from the store (what every verdict below rests on)
    const torIps = (await store.query<{ ip: string }>('SELECT DISTINCT toString(ip) AS ip FROM ${DB}.tor_observations')).map((r) => fromIPv6Column(r.ip));
    const history = await loadHistoryView(store, torIps);
    const rnd = prng(20230601);
    const cases = demoCases(history, torIps, policy, 200, rnd);
    const start = Date.UTC(2023, 5, 1, 10, 0, 0);
    const inputs = demoInputs(o.root, cases, start, rnd);
    for (const i of inputs) writeFileSync(join(o.dir, 'logs', `${i.site}.log`), `${i.lines.join('\n')}\n`);
    const total = inputs.reduce((s, i) => s + i.lines.length, 0);
    o.say(`    ${total} lines in ${inputs.length} logs (${inputs.map((i) => `${i.site}: ${i.lines.length}`).join(', ')}) under ${join(o.dir, 'logs')}`);

    o.say(`3/6 ingesting ${o.kafka ? 'through Kafka' : 'from files'}: parse → client IP → geo → Tor → ClickHouse`);
    const ing = o.kafka
      ? await ingestDemoKafka({ store, config, logger: o.logger, metrics: o.metrics, say: o.say }, inputs)
      : await ingestDemoFiles({ store, config, logger: o.logger, metrics: o.metrics, say: o.say }, inputs, join(o.dir, 'logs'));
    if (ing.stored + Object.values(ing.deadLettered).reduce((a, b) => a + b, 0) !== total) throw new TorlogsError('internal', `ingest lost lines: ${JSON.stringify(ing)} of ${total}`);

    o.say('4/6 query-time Tor verdicts over the stored requests');
    const verdicts = await verdictCounts(store);
    const agree = await expectedAgreement(store, cases);
    const sum = Object.values(verdicts).reduce((a, b) => a + b, 0);

    o.say('5/6 summaries (hourly and daily rollups) and the report');
    // only the days that hold requests (the generated `unknown` requests lie years away from the rest)
    const days = (await store.query<{ d: string }>('SELECT DISTINCT toString(toUnixTimestamp(toStartOfDay(ts))) AS d FROM ${DB}.requests ORDER BY d')).map((r) => Number(r.d) * 1000);
    for (const [i, day] of days.entries()) {
      await summarizeRange(store, 'hour', day, day + DAY);
      await summarizeRange(store, 'day', day, day + DAY);
      o.say(`    ${i + 1}/${days.length} days summarised (${new Date(day).toISOString().slice(0, 10)})`);
    }
    const from = days[0] ?? 0;
    const busiest = await store.query<{ d: string }>("SELECT toString(toUnixTimestamp(toStartOfDay(ts))) AS d FROM ${DB}.requests_tor WHERE tor_verdict = 'exit' GROUP BY d ORDER BY count() DESC, d LIMIT 1");
    const report = await writeReport(store, config, Number(busiest[0]?.d ?? from / 1000) * 1000, ALL_SITES);

    o.say('6/6 three retrospective checks');
    const picks = examplePicks(cases);
    const checks = await runChecks({ store, policy }, picks.map((c) => ({ ip: c.ip, atMs: c.atMs, site: null })));
    return {
      dir: o.dir, dataDir, via: o.kafka ? 'kafka' : 'files', tor: { documents: imp.imported + imp.alreadyImported, observations: imp.observations },
      lines: total, stored: ing.stored, deadLettered: ing.deadLettered, verdicts, torShare: sum > 0 ? (verdicts.exit ?? 0) / sum : 0,
      expectedAgree: agree, checks, report, seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await store.close();
  }
}

/** one request of each verdict, preferably the same IP (the exit inside the longest observed interval first) */
function examplePicks(cases: DemoCases): DemoRequest[] {
  const exits = [...cases.exit].sort((a, b) => (b.intervalMs ?? 0) - (a.intervalMs ?? 0) || a.atMs - b.atMs);
  const same = exits.find((e) => cases.notExit.some((c) => c.ip === e.ip) && cases.unknown.some((c) => c.ip === e.ip));
  const pick = (list: DemoRequest[]) => (same ? list.find((c) => c.ip === same.ip) : undefined) ?? list[0];
  return [same ?? exits[0], pick(cases.notExit), pick(cases.unknown)].filter((c): c is DemoRequest => c !== undefined);
}

function demoInputs(root: string, cases: DemoCases, start: number, rnd: () => number): DemoInput[] {
  const logs = join(root, 'test', 'fixtures', 'logs');
  const real = readFileSync(join(logs, 'elastic-examples', 'apache_logs'), 'utf8').split('\n').filter((l) => l !== '');
  const quirks: string[] = [];
  for (const d of ['elastic-beats-fixtures', 'lnav-fixtures']) {
    for (const f of readdirSync(join(logs, d)).sort()) quirks.push(...readFileSync(join(logs, d, f), 'utf8').split('\n').filter((l) => l !== ''));
  }
  const generated = [...cases.exit, ...cases.notExit, ...cases.unknown].map((c) => c.line);
  return [
    { site: 'www.demo', lines: retimeLines(real, start) },
    // these small files span years: each line gets its own time, a minute and a half apart, on the covered day
    { site: 'quirks.demo', lines: spreadLines(quirks, start + 2 * DAY, 97_000) },
    { site: 'shop.demo', lines: [...generated, ...visitorLines(2000, start, start + 4 * DAY, rnd)] },
  ];
}

async function verdictCounts(store: ClickHouseStore): Promise<Record<string, number>> {
  const rows = await store.query<{ v: string; n: string }>('SELECT tor_verdict AS v, count() AS n FROM ${DB}.requests_tor GROUP BY v ORDER BY v');
  return Object.fromEntries(rows.map((r) => [r.v, Number(r.n)]));
}

/** the generated requests: does the stored, query-time verdict equal the one the history gave when they were made? */
async function expectedAgreement(store: ClickHouseStore, cases: DemoCases): Promise<{ checked: number; agree: number }> {
  const all = [...cases.exit, ...cases.notExit, ...cases.unknown];
  const rows = await store.query<{ ip: string; t: string; v: string }>(
    "SELECT toString(ip) AS ip, toString(toUnixTimestamp64Milli(ts)) AS t, tor_verdict AS v FROM ${DB}.requests_tor WHERE site = 'shop.demo'",
  );
  const got = new Map(rows.map((r) => [`${r.ip.replace(/^::ffff:/, '')} ${r.t}`, r.v]));
  const agree = all.filter((c) => got.get(`${c.ip} ${Math.floor(c.atMs / 1000) * 1000}`) === c.expected).length;
  return { checked: all.length, agree };
}
