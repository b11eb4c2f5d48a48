/**
 * Ingest benchmark (issue 3), all numbers from one run on this machine with the local Kafka broker:
 *
 *  1. produce: the volume corpus (test/helpers/produce-corpus.ts: every real fixture line plus N generated lines,
 *     packed as shippers do) to a fresh 4-partition topic;
 *  2. parse_enrich: the production line stages (buildLineStages: auto parser, client IP, MaxMind City + ASN test
 *     databases, Tor index built from the Tor fixtures) over N generated lines (100,000 over the same time span, cycled),
 *     encoded into batches of 50,000 rows, in-process, one core, no Kafka and no ClickHouse; warm-up pass, then
 *     the median of 3 timed passes;
 *  3. consume_only: a kafkajs consumer (same fetch settings as the worker) reading the whole topic in a new group
 *     and doing nothing with the messages;
 *  4. e2e: one real worker process (`torlogs serve --only ingest`, embedded store, same geo databases, the Tor
 *     fixtures imported into its store first, default batch settings) from its first received line until its group has
 *     committed every offset; the worker's peak RSS (VmHWM of the process) is rss_mb_max;
 *  5. exact accounting in the store: lost = expected lines (rows + dead letters) not found, duplicated = source
 *     positions stored more than once. The run exits 1 when either is not 0 (in either layout);
 *  6. the server layout (see serverLayout below): the same topic, the production ingest service in its own process
 *     (compiled to JavaScript, as production runs it) writing over HTTP to the local ClickHouse server, so the
 *     worker's RSS is its own (no engine in-process).
 *
 * Run: npm run bench:ingest [-- --lines 1000000]. Progress on stderr; the last stdout line is the JSON summary
 * with e2e_lines_per_s, consume_only_lines_per_s, ratio_to_consume_only, parse_enrich_lines_per_s, rss_mb_max,
 * lost, duplicated (targets: ≥ 50,000, —, ≥ 0.6, ≥ 400,000, ≤ 300, 0, 0), plus what explains them: the worker's
 * CPU use in cores during e2e (e2e_worker_cores; e2e_machine_cores: every process, of the machine's 2) and the
 * share of e2e time spent inside `requests` inserts
 * (e2e_insert_share, from the worker's batch_insert_seconds), its peak JS heap and Buffers; then the same for the
 * server layout (step 6): server_e2e_lines_per_s, server_rss_mb_max, server_lost, server_duplicated.
 * `--batch-rows N` sets the workers' TORLOGS_BATCH_MAX_ROWS (memory vs. insert count), `--partitions N` the topic's
 * partitions, `--lines-per-message N` the packing of the generated lines (default 50; 1 = one event per message),
 * `--no-server` skips step 6; BENCH_DEBUG=1 prints the server-layout worker's memory every 500 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../shared/config/load-config.js';
import { newBatch } from '../shared/ingest/batch.js';
import { KAFKA_FETCH } from '../shared/ingest/kafka-ingest.js';
import { buildLineStages } from '../shared/ingest/line-stages.js';
import { silentLogger } from '../shared/observability/logger.js';
import { createMetrics } from '../shared/observability/metrics.js';
import { runTorlogs } from '../test/helpers/cli.js';
import { fixture } from '../test/helpers/fixtures.js';
import { generateLines } from '../test/helpers/generate-lines.js';
import { countMessages, groupCaughtUp } from '../test/helpers/kafka-progress.js';
import { createLegacyIngestTables, legacyCounts } from '../test/helpers/legacy-server-tables.js';
import { produceCorpus } from '../test/helpers/produce-corpus.js';
import { CLICKHOUSE_TEST_USERS, clickhouseServerUrl, kafkaBrokers, requireClickhouseServer, requireKafka, uniqueName } from '../test/helpers/services.js';
import { openServerStore } from '../shared/store/server-store.js';
import { repoRoot } from '../test/helpers/cli.js';
import { embeddedCounts } from '../test/helpers/store-counts.js';
import { loadFixtureDocs } from '../test/helpers/tor-history.js';
import { exitIntervals, TorHistory } from '../shared/tor/tor-history.js';
import type { Interval } from '../shared/tor/intervals.js';
import type { TorIndexFile } from './ingest-server-worker.js';
import { TorIndex } from '../shared/tor/tor-index.js';
import { DEFAULT_TOR_POLICY } from '../shared/tor/tor-policy.js';
import { startWorker, waitUntil } from '../test/helpers/worker-process.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
if (process.argv.includes('--help')) {
  process.stdout.write(`usage: npm run bench:ingest [-- options]   (needs the local services: npm run services:start)
  --lines N              generated lines besides the fixture lines (default 1000000)
  --partitions N         partitions of the benchmark topic (default 4)
  --lines-per-message N  lines packed per Kafka message (default 50; 1 = one event per message)
  --batch-rows N         the workers' TORLOGS_BATCH_MAX_ROWS (default: the configured default)
  --no-server            skip the server layout (step 6)
The last stdout line is the JSON summary; BENCH_DEBUG=1 prints the server-layout worker's memory.
`);
  process.exit(0);
}
const LINES = arg('--lines', 1_000_000);
const PARTITIONS = arg('--partitions', 4);
const PER_MESSAGE = arg('--lines-per-message', 50);
/** worker batch size (TORLOGS_BATCH_MAX_ROWS; default: the configured default) */
const BATCH_ROWS = arg('--batch-rows', 0);
/** --no-server skips the server layout (step 6) */
const SERVER = !process.argv.includes('--no-server');
const SEED = 7; // produceCorpus's default seed: parse_enrich sees the generated lines that were produced
const CITY = fixture('mmdb', 'GeoIP2-City-Test.mmdb');
const ASN = fixture('mmdb', 'GeoLite2-ASN-Test.mmdb');
const TOR_DIRS = ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'];

const say = (msg: string) => process.stderr.write(`bench:ingest ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const round = (n: number) => Math.round(n);

async function parseEnrich(): Promise<number> {
  const index = TorIndex.fromHistory(TorHistory.fromDocuments(loadFixtureDocs(TOR_DIRS)), DEFAULT_TOR_POLICY);
  const config = loadConfig({ TORLOGS_GEO_CITY_DB: CITY, TORLOGS_GEO_ASN_DB: ASN });
  const stages = await buildLineStages(config, silentLogger(), createMetrics(), () => index);
  // 100,000 generated lines over the time span of the produced ones (so Tor verdicts fall inside and outside the
  // fixtures' coverage alike), cycled: a worker holds a few batches, not the whole stream, and a heap holding a
  // million lines would make every garbage collection slower than the worker's are
  const n = Math.min(LINES, 100_000);
  const gen = [...generateLines(n, { seed: SEED, malformedEvery: 1000, badTimestampEvery: 2500, stepMs: Math.round((250 * LINES) / n) })];
  // flat strings, as the Kafka and file sources hand lines over (decoded from bytes); the generator's lines are
  // concatenations, which the first parse would flatten in place
  const lines = gen.map((g) => Buffer.from(g.line, 'utf8').toString('utf8'));
  const sites = gen.map((g) => g.site);
  gen.length = 0;
  const now = Date.now();
  let stored = 0;
  const pass = (n: number): number => {
    let b = newBatch('bench', 0, 0n, now);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const k = i % lines.length;
      if (stages.processor.process(lines[k]!, sites[k]!, { source: 'bench', partition: 0, offset: BigInt(i), lineIndex: 0 }, b, now)) stored++;
      if (b.lines === 50_000) b = newBatch('bench', 0, BigInt(i + 1), now); // what a batch holds before it is written
    }
    return n / ((performance.now() - t0) / 1000);
  };
  pass(200_000);
  const runs = [pass(LINES), pass(LINES), pass(LINES)].sort((a, b) => a - b);
  const tor = stages.stats.tor;
  say(`parse_enrich: ${runs.map(round).join(' / ')} lines/s (geo hits ${stages.stats.geoHits}, misses ${stages.stats.geoMisses}; tor unknown/exit/near/not_exit ${tor.join('/')}; stored ${stored})`);
  await stages.close();
  return runs[1]!;
}

async function consumeOnly(topic: string, lines: number): Promise<number> {
  const messages = await countMessages(topic);
  const kafka = new Kafka({ clientId: 'torlogs-bench-consume', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('g_bench_consume'), ...KAFKA_FETCH }); // the worker's fetch settings
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let t0 = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch }) => {
      if (t0 === 0) t0 = performance.now();
      seen += batch.messages.length;
      if (seen >= messages) done();
    },
  });
  await finished;
  const end = performance.now();
  await consumer.disconnect();
  // from the first fetched batch: the group join is excluded, as for e2e
  const secs = (end - t0) / 1000;
  say(`consume_only: ${messages} messages (${lines} lines) in ${secs.toFixed(2)} s`);
  return lines / secs;
}

function statusMb(pid: number, field: 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');
/** user + system CPU seconds of a process (all its threads: the JS thread, libuv, chDB's insert and merge threads) */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** busy CPU seconds of the whole machine (every process: worker, broker, ClickHouse server), from /proc/stat */
function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  return (f.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100; // user … steal, in USER_HZ ticks
}

/** the fixture history's exit intervals and coverage, as the server-layout worker loads them (bench/ingest-server-worker.ts) */
function writeTorIndexFile(dir: string): string {
  const history = TorHistory.fromDocuments(loadFixtureDocs(TOR_DIRS));
  const file: TorIndexFile = {
    version: history.version,
    exits: [...history.ips()].map((ip): [string, Interval[]] => [ip, exitIntervals(history.observationsOf(ip), DEFAULT_TOR_POLICY)]),
    coverage: history.coverage,
  };
  const path = join(dir, 'tor-index.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}

/**
 * The server-layout worker compiled by tsc as `npm run build` compiles the services (production runs that JavaScript:
 * Dockerfile), into tmp/bench-build/. Run from the sources through tsx instead, the worker holds the loader and the
 * TypeScript it transformed: ~35 MB more RSS measured (335 vs 301 MB peak).
 */
async function compiledServerWorker(): Promise<string> {
  const t = performance.now();
  const tsc = spawn(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'bench', 'tsconfig.server-worker.json')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  tsc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  tsc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((r) => tsc.on('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`compiling the server-layout worker failed (tsc exit ${code}): ${out.slice(-2000)}`);
  say(`server layout: worker compiled in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return join(repoRoot, 'tmp', 'bench-build', 'bench', 'ingest-server-worker.js');
}

interface ServerLayout {
  linesPerS: number;
  rssMb: number;
  cores: number;
  machineCores: number;
  lost: number;
  duplicated: number;
}

/**
 * Step 6, the server layout: the same topic read by a new group, the production ingest service in its own process
 *    (bench/ingest-server-worker.ts) writing over HTTP to the local ClickHouse server (18.16: the tables in types
 *    it supports, test/helpers/legacy-server-tables.ts), with the production user of least privilege. The worker
 *    holds no database engine, as in production; its peak RSS is the worker's own memory.
 */
async function serverLayout(topic: string, expected: { lines: number; stored: number; rejected: Record<string, number> }, torIndexFile: string): Promise<ServerLayout> {
  await requireClickhouseServer();
  const database = uniqueName('bench_ingest').replace(/[^a-z0-9_]/gi, '_');
  const group = uniqueName('g_bench_server');
  const admin = openServerStore({ url: clickhouseServerUrl(), ...CLICKHOUSE_TEST_USERS.admin, database, timeoutMs: 60_000 });
  try {
    await createLegacyIngestTables(admin);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TORLOGS_')) env[k] = v;
    Object.assign(env, {
      TORLOGS_CLICKHOUSE_URL: clickhouseServerUrl(),
      TORLOGS_CLICKHOUSE_USER: CLICKHOUSE_TEST_USERS.ingest.username,
      TORLOGS_CLICKHOUSE_PASSWORD: CLICKHOUSE_TEST_USERS.ingest.password,
      TORLOGS_CLICKHOUSE_DATABASE: database,
      TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(','),
      TORLOGS_KAFKA_TOPICS: topic,
      TORLOGS_KAFKA_GROUP_ID: group,
      TORLOGS_KAFKA_DLQ_TOPIC: `${topic}_dlq`,
      TORLOGS_GEO_CITY_DB: CITY,
      TORLOGS_GEO_ASN_DB: ASN,
      ...(BATCH_ROWS > 0 ? { TORLOGS_BATCH_MAX_ROWS: String(BATCH_ROWS) } : {}),
      BENCH_TOR_INDEX_FILE: torIndexFile,
    });
    const child = spawn(process.execPath, [await compiledServerWorker()], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number>((r) => child.on('exit', (code, sig) => r(code ?? (sig ? 128 : -1))));
    let exitCode: number | null = null;
    void exited.then((c) => (exitCode = c));
    const alive = () => {
      if (exitCode !== null) throw new Error(`server-layout worker exited with ${exitCode}: ${err.slice(-2000)}`);
    };
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server-layout worker received nothing in 120 s: ${err.slice(-2000)}`)), 120_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('received')) {
          clearTimeout(t);
          resolve();
        }
      });
      void exited.then((c) => (clearTimeout(t), reject(new Error(`server-layout worker exited with ${c}: ${err.slice(-2000)}`))));
    });
    const t0 = performance.now();
    const cpu0 = cpuSeconds(child.pid!);
    const busy0 = machineBusySeconds();
    let last = 0;
    await waitUntil('the server-layout worker to commit every offset', async () => {
      alive();
      if (performance.now() - last > 2000) {
        last = performance.now();
        say(`server layout: rss ${round(peakRssMb(child.pid!))} MB peak`);
      }
      return groupCaughtUp(topic, group);
    }, 1_800_000, 100);
    const secs = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(child.pid!) - cpu0;
    const busy = machineBusySeconds() - busy0;
    const rss = peakRssMb(child.pid!);
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`server-layout worker exited with ${code}: ${err.slice(-2000)}`);
    if (process.env.BENCH_DEBUG) process.stderr.write(err);
    const c = await legacyCounts(admin);
    const expectedRejected = Object.values(expected.rejected).reduce((a, b) => a + b, 0);
    const rejected = Object.values(c.rejected).reduce((a, b) => a + b, 0);
    say(`server layout: ${expected.lines} lines in ${secs.toFixed(2)} s, worker CPU ${cpu.toFixed(1)} s, peak RSS ${round(rss)} MB; server holds ${c.rows} rows (${c.distinctRows} distinct), dead letters ${JSON.stringify(c.rejected)}`);
    return {
      linesPerS: expected.lines / secs,
      rssMb: rss,
      cores: cpu / secs,
      machineCores: busy / secs,
      lost: expected.stored - c.distinctRows + (expectedRejected - c.distinctRejected),
      duplicated: c.rows - c.distinctRows + (rejected - c.distinctRejected),
    };
  } finally {
    await admin.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin.close();
  }
}

async function main(): Promise<number> {
  await requireKafka();
  const topic = uniqueName('t_bench_ingest');
  const group = uniqueName('g_bench_ingest');
  const dlq = `${topic}_dlq`;
  say(`producing ${LINES} generated lines + the fixture lines to ${topic} (${PARTITIONS} partitions)`);
  let t = performance.now();
  const expected = await produceCorpus(topic, LINES, { partitions: PARTITIONS, seed: SEED, linesPerMessage: PER_MESSAGE });
  say(`produced ${expected.lines} lines in ${((performance.now() - t) / 1000).toFixed(1)} s; expected ${expected.stored} rows, dead letters ${JSON.stringify(expected.rejected)}`);

  const parseEnrichPerS = await parseEnrich();
  const consumePerS = await consumeOnly(topic, expected.lines);

  const dir = mkdtempSync(join(tmpdir(), 'torlogs-bench-ingest-'));
  try {
    const env = { TORLOGS_DATA_DIR: dir };
    t = performance.now();
    const imp = await runTorlogs(['tor', 'import', ...TOR_DIRS.map((d) => fixture('tor', d))], env, undefined, 600_000);
    if (imp.code !== 0) throw new Error(`tor import failed: ${imp.stderr.slice(-2000)}`);
    say(`Tor fixtures imported into the worker's store in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const admin = new Kafka({ clientId: 'torlogs-bench-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: dlq, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const w = await startWorker({
      ...env,
      TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(','),
      TORLOGS_KAFKA_TOPICS: topic,
      TORLOGS_KAFKA_GROUP_ID: group,
      TORLOGS_KAFKA_DLQ_TOPIC: dlq,
      TORLOGS_GEO_CITY_DB: CITY,
      TORLOGS_GEO_ASN_DB: ASN,
      ...(BATCH_ROWS > 0 ? { TORLOGS_BATCH_MAX_ROWS: String(BATCH_ROWS) } : {}),
    });
    // the clock starts at the first line received (group join excluded, as for consume_only)
    await waitUntil('the worker to receive lines', async () => (w.assertAlive(), (await w.metric('lines_received_total')) > 0), 120_000, 20);
    const t0 = performance.now();
    const cpu0 = cpuSeconds(w.child.pid!);
    const busy0 = machineBusySeconds();
    let last = 0;
    // where the worker's memory is: the JS heap and Buffers (the batches' bytes, Kafka fetches) sampled with the
    // progress; the rest of the anonymous memory is chDB's (insert blocks, merges, caches)
    let heapMb = 0;
    let externalMb = 0;
    await waitUntil('the worker to commit every offset', async () => {
      w.assertAlive();
      if (performance.now() - last > 1000) {
        last = performance.now();
        const heap = (await w.metric('process_nodejs_heap_size_used_bytes')) / 2 ** 20;
        const external = (await w.metric('process_nodejs_external_memory_bytes')) / 2 ** 20;
        heapMb = Math.max(heapMb, heap);
        externalMb = Math.max(externalMb, external);
        say(`e2e: ${await w.metric('lines_stored_total')} rows stored, ${await w.metric('lines_rejected_total')} dead-lettered, rss ${round(peakRssMb(w.child.pid!))} MB peak (now anonymous ${round(statusMb(w.child.pid!, 'RssAnon'))} MB of which JS heap ${round(heap)} MB and Buffers ${round(external)} MB; file-backed ${round(statusMb(w.child.pid!, 'RssFile'))} MB: the chDB library)`);
      }
      return groupCaughtUp(topic, group);
    }, 1_800_000, 100);
    const e2eSecs = (performance.now() - t0) / 1000;
    const e2eCpu = cpuSeconds(w.child.pid!) - cpu0;
    const e2eBusy = machineBusySeconds() - busy0;
    const rss = peakRssMb(w.child.pid!);
    const torVerdicts = await w.metric('tor_lookups_total', { verdict: 'exit' });
    // time spent inside `requests` inserts (summed over partitions: > e2e time means inserts overlapped)
    const insertSecs = await w.metric('batch_insert_seconds_sum', { table: 'requests' });
    const inserts = await w.metric('batch_insert_seconds_count', { table: 'requests' });
    const code = await w.stop();
    if (code !== 0) throw new Error(`worker exited with ${code}: ${w.stderr().slice(-2000)}`);
    say(`e2e: ${inserts} inserts into requests took ${insertSecs.toFixed(1)} s together (${(insertSecs / Math.max(1, inserts)).toFixed(3)} s each)`);
    say(`e2e: ${expected.lines} lines in ${e2eSecs.toFixed(2)} s, worker CPU ${e2eCpu.toFixed(1)} s (${(e2eCpu / e2eSecs).toFixed(2)} cores; exit verdicts at ingest: ${torVerdicts})`);

    const c = await embeddedCounts(dir, `kafka:${topic}`);
    const expectedRejected = Object.values(expected.rejected).reduce((a, b) => a + b, 0);
    const rejected = Object.values(c.rejected).reduce((a, b) => a + b, 0);
    const lost = expected.stored - c.distinctRows + (expectedRejected - c.distinctRejected);
    const duplicated = c.rows - c.distinctRows + (rejected - c.distinctRejected);
    say(`store: ${c.rows} rows (${c.distinctRows} distinct positions), dead letters ${JSON.stringify(c.rejected)}`);
    const server = SERVER ? await serverLayout(topic, expected, writeTorIndexFile(dir)) : null;
    const e2ePerS = expected.lines / e2eSecs;
    const summary = {
      lines: expected.lines,
      partitions: PARTITIONS,
      e2e_lines_per_s: round(e2ePerS),
      consume_only_lines_per_s: round(consumePerS),
      ratio_to_consume_only: Number((e2ePerS / consumePerS).toFixed(3)),
      parse_enrich_lines_per_s: round(parseEnrichPerS),
      rss_mb_max: round(rss),
      e2e_js_heap_mb_max: round(heapMb),
      e2e_buffers_mb_max: round(externalMb),
      e2e_worker_cores: Number((e2eCpu / e2eSecs).toFixed(2)),
      e2e_machine_cores: Number((e2eBusy / e2eSecs).toFixed(2)),
      e2e_insert_share: Number((insertSecs / e2eSecs).toFixed(2)),
      lost,
      duplicated,
      ...(server
        ? {
            server_e2e_lines_per_s: round(server.linesPerS),
            server_ratio_to_consume_only: Number((server.linesPerS / consumePerS).toFixed(3)),
            server_rss_mb_max: round(server.rssMb),
            server_worker_cores: Number(server.cores.toFixed(2)),
            server_machine_cores: Number(server.machineCores.toFixed(2)),
            server_lost: server.lost,
            server_duplicated: server.duplicated,
          }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    const exact = lost === 0 && duplicated === 0 && (!server || (server.lost === 0 && server.duplicated === 0));
    return exact ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
