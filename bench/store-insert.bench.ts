/**
 * The embedded store's insert path on its own (what bench:ingest's e2e waits on): N generated lines encoded by the
 * production line stages into batches of B rows, then inserted one after another into `requests` of a fresh
 * embedded store with the production schema (migrations), as the sink inserts them (TabSeparated, dedup token).
 * CPU is the process's (the engine's insert and merge threads included).
 *
 * Cases, each on a fresh store, in turns (--runs R rounds; medians reported):
 *  - schema: the production schema;
 *  - no_projection: without the `by_ip` projection (its share of the insert cost);
 *  - no_arrivals_view: without `summary_arrivals_mv` (the summaries' late-data view, issue 6);
 *  - two_lanes: the production schema with two inserts in flight at once (does the engine insert in parallel?).
 *
 * Run: npm run bench:store-insert [-- --lines 600000 --batch-rows 20000 --runs 3]. Progress on stderr; the last
 * stdout line is the JSON summary: rows/s, median insert ms and cores per case, and each case's rows/s as a ratio
 * to `schema` measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../shared/config/load-config.js';
import { newBatch, type Batch } from '../shared/ingest/batch.js';
import { buildLineStages } from '../shared/ingest/line-stages.js';
import { REQUEST_COLUMNS } from '../shared/ingest/row-encoder.js';
import { silentLogger } from '../shared/observability/logger.js';
import { createMetrics } from '../shared/observability/metrics.js';
import { NO_TOR_HISTORY } from '../shared/pipeline/stages.js';
import { openEmbeddedStore } from '../shared/store/embedded-store.js';
import { ensureSchema } from '../shared/store/ensure-schema.js';
import { fixture } from '../test/helpers/fixtures.js';
import { generateLines } from '../test/helpers/generate-lines.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
if (process.argv.includes('--help')) {
  process.stdout.write('usage: npm run bench:store-insert [-- --lines 600000 --batch-rows 20000 --runs 3]\n');
  process.exit(0);
}
const LINES = arg('--lines', 600_000);
const BATCH_ROWS = arg('--batch-rows', 20_000);
const RUNS = arg('--runs', 3);
const say = (msg: string) => process.stderr.write(`bench:store-insert ${new Date().toISOString().slice(11, 19)} ${msg}\n`);

const CASES = {
  schema: { lanes: 1, prepare: [] as string[] },
  no_projection: { lanes: 1, prepare: ['ALTER TABLE ${DB}.requests DROP PROJECTION by_ip'] },
  no_arrivals_view: { lanes: 1, prepare: ['DROP VIEW ${DB}.summary_arrivals_mv'] },
  two_lanes: { lanes: 2, prepare: [] as string[] },
};
type CaseName = keyof typeof CASES;

async function encode(): Promise<Batch[]> {
  const config = loadConfig({ TORLOGS_GEO_CITY_DB: fixture('mmdb', 'GeoIP2-City-Test.mmdb'), TORLOGS_GEO_ASN_DB: fixture('mmdb', 'GeoLite2-ASN-Test.mmdb') });
  const stages = await buildLineStages(config, silentLogger(), createMetrics(), () => NO_TOR_HISTORY);
  const batches: Batch[] = [];
  let b = newBatch('bench', 0, 0n, Date.now());
  let offset = 0;
  for (const g of generateLines(LINES, { seed: 7, stepMs: 250 })) {
    stages.processor.process(g.line, g.site, { source: 'bench', partition: 0, offset: BigInt(offset), lineIndex: 0 }, b, Date.now());
    b.lastOffset = BigInt(offset++);
    if (b.rows.count === BATCH_ROWS) {
      batches.push(b);
      b = newBatch('bench', 0, BigInt(offset), Date.now());
    }
  }
  if (b.rows.count > 0) batches.push(b);
  await stages.close();
  return batches;
}

interface Result {
  rowsPerS: number;
  medianMs: number;
  cores: number;
}

async function runCase(name: CaseName, batches: Batch[]): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-bench-insert-'));
  const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  try {
    await ensureSchema(store, loadConfig({ TORLOGS_DATA_DIR: dir }));
    for (const sql of CASES[name].prepare) await store.command(sql);
    const times: number[] = [];
    let next = 0;
    const rows = batches.reduce((n, b) => n + b.rows.count, 0);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CASES[name].lanes }, async () => {
        while (next < batches.length) {
          const k = next++;
          const t = performance.now();
          await store.insert({ table: 'requests', columns: REQUEST_COLUMNS, format: 'TabSeparated', data: batches[k]!.rows.bytes(), dedupToken: `bench:${k}` });
          times.push(performance.now() - t);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const stored = await store.query<{ n: string }>('SELECT count() AS n FROM ${DB}.requests');
    if (Number(stored[0]?.n) !== rows) throw new Error(`${name}: ${stored[0]?.n} rows stored, ${rows} inserted`);
    times.sort((a, b) => a - b);
    return { rowsPerS: rows / secs, medianMs: times[times.length >> 1]!, cores: (cpu.user + cpu.system) / 1e6 / secs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  say(`encoding ${LINES} generated lines into batches of ${BATCH_ROWS} rows`);
  const batches = await encode();
  const results = new Map<CaseName, Result[]>();
  for (let r = 1; r <= RUNS; r++) {
    for (const name of Object.keys(CASES) as CaseName[]) {
      const res = await runCase(name, batches);
      results.set(name, [...(results.get(name) ?? []), res]);
      say(`round ${r}/${RUNS} ${name}: ${Math.round(res.rowsPerS)} rows/s, median insert ${Math.round(res.medianMs)} ms, ${res.cores.toFixed(2)} cores`);
    }
  }
  const summary: Record<string, number> = { lines: LINES, batch_rows: BATCH_ROWS, inserts: batches.length, runs: RUNS };
  const base = median(results.get('schema')!.map((x) => x.rowsPerS));
  for (const [name, rs] of results) {
    const rowsPerS = median(rs.map((x) => x.rowsPerS));
    summary[`${name}_rows_per_s`] = Math.round(rowsPerS);
    summary[`${name}_median_insert_ms`] = Math.round(median(rs.map((x) => x.medianMs)));
    summary[`${name}_cores`] = Number(median(rs.map((x) => x.cores)).toFixed(2));
    if (name !== 'schema') summary[`${name}_ratio_to_schema`] = Number((rowsPerS / base).toFixed(2));
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

await main().catch((err: unknown) => {
  process.stderr.write(`bench:store-insert failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
