import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTorlogs } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import type { ClickHouseStore } from '../../shared/store/store.js';
import { runDueWindows } from '../../shared/summaries/summarize.js';
import { importTorPaths } from '../../shared/tor-store/tor-import.js';
import { DAY_A, DAY_B, writeSummaryInputs } from '../unit/summaries/summary-fixtures.js';

type Grain = 'hour' | 'day';
const DIM_SQL: Record<string, { key: string; where?: string }> = {
  total: { key: "''" },
  tor_verdict: { key: 'tor_verdict' },
  country: { key: 'toString(country)' },
  asn: { key: 'toString(asn)' },
  status_class: { key: "concat(toString(intDiv(status, 100)), 'xx')" },
  tor_country: { key: 'toString(country)', where: "tor_verdict = 'exit'" },
  tor_asn: { key: 'toString(asn)', where: "tor_verdict = 'exit'" },
  tor_path: { key: 'path', where: "tor_verdict = 'exit'" },
};

/** the same numbers straight from requests_tor (the view), per window × site (and '*') × dimension × key */
async function direct(store: ClickHouseStore, grain: Grain): Promise<Map<string, string>> {
  const w = grain === 'hour' ? 'toStartOfHour(ts)' : 'toStartOfDay(ts)';
  const out = new Map<string, string>();
  for (const [dim, d] of Object.entries(DIM_SQL)) {
    for (const site of ['site', "'*'"]) {
      const rows = await store.query<{ ws: number; site: string; key: string; r: string; b: string; u: string }>(
        `SELECT toUnixTimestamp(${w}) AS ws, ${site} AS site, ${d.key} AS key, count() AS r, sum(bytes) AS b, uniqExact(ip) AS u FROM \${DB}.requests_tor ${d.where ? `WHERE ${d.where}` : ''} GROUP BY ws, site, key`,
      );
      for (const r of rows) out.set(`${r.ws}|${r.site}|${dim}|${r.key}`, `${r.r}/${r.b}/${r.u}`);
    }
  }
  return out;
}

/** the rollup rows in force */
async function rollups(store: ClickHouseStore, grain: Grain): Promise<Map<string, string>> {
  const rows = await store.query<{ ws: number; site: string; dim: string; key: string; r: string; b: string; u: string }>(
    `SELECT toUnixTimestamp(window_start) AS ws, site, dim, key, requests AS r, bytes AS b, unique_ips AS u FROM \${DB}.summary_rollups
     WHERE grain = {g:String} AND (window_start, run_id) IN (SELECT window_start, argMax(run_id, started_at) FROM \${DB}.summary_windows WHERE grain = {g:String} GROUP BY window_start)`,
    { params: { g: grain } },
  );
  return new Map(rows.map((r) => [`${r.ws}|${r.site}|${r.dim}|${r.key}`, `${r.r}/${r.b}/${r.u}`]));
}

const exitRequests = (m: Map<string, string>, dayMs: number) => Number(m.get(`${dayMs / 1000}|*|tor_verdict|exit`)?.split('/')[0] ?? 0);
const ofDay = (m: Map<string, string>, dayMs: number) => [...m].filter(([k]) => Number(k.split('|')[0]) * 1000 >= dayMs && Number(k.split('|')[0]) * 1000 < dayMs + 86_400_000).sort();

test('rollups equal direct counts; a second run changes nothing; a late Tor import changes that day only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-sum-'));
  const env = { TORLOGS_DATA_DIR: dir, TORLOGS_GEO_CITY_DB: fixture('mmdb', 'GeoIP2-City-Test.mmdb'), TORLOGS_GEO_ASN_DB: fixture('mmdb', 'GeoLite2-ASN-Test.mmdb') };
  try {
    for (const [path, site] of writeSummaryInputs(dir)) {
      const r = await runTorlogs(['ingest', '--file', path, '--site', site, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
    }
    const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
    try {
      const imp = await importTorPaths(store, [fixture('tor', 'bulk-snapshots')]);
      assert.equal(imp.refused.length, 0);
      const now = DAY_A + 3 * 86_400_000 + 600_000;
      const run = (g: Grain) => runDueWindows(store, { grain: g, nowMs: now, maxWindows: 100 });
      const h1 = await run('hour');
      const d1 = await run('day');
      // every hour of both days holds rows: 48 hours and 2 days computed, the rest recorded empty
      assert.equal(h1.computed.length, 48);
      assert.equal(d1.computed.length, 2);
      assert.equal(h1.pending + d1.pending, 0);
      for (const g of ['hour', 'day'] as const) assert.deepEqual([...(await rollups(store, g))].sort(), [...(await direct(store, g))].sort(), g);
      const before = { hour: await rollups(store, 'hour'), day: await rollups(store, 'day') };
      assert.ok(exitRequests(before.day, DAY_A) > 100, 'exit traffic on the bulk-snapshot day');
      assert.equal(exitRequests(before.day, DAY_B), 0, 'no 2018 history yet');
      const total = (m: Map<string, string>) => [...m].filter(([k]) => k.endsWith('|*|total|')).reduce((s, [, v]) => s + Number(v.split('/')[0]), 0);
      const stored = await store.query<{ n: string }>('SELECT count() AS n FROM ${DB}.requests');
      assert.equal(total(before.day), Number(stored[0]!.n));
      assert.equal(total(before.hour), Number(stored[0]!.n));

      // second run: nothing is due, nothing changes
      const ledger = await store.queryText('SELECT grain, window_start, run_id FROM ${DB}.summary_windows ORDER BY ALL', 'TSV');
      assert.equal((await run('hour')).computed.length, 0);
      assert.equal((await run('day')).computed.length, 0);
      assert.equal(await store.queryText('SELECT grain, window_start, run_id FROM ${DB}.summary_windows ORDER BY ALL', 'TSV'), ledger);
      assert.deepEqual(await rollups(store, 'hour'), before.hour);

      // late Tor knowledge for 2018-10-31: that day (and its hours) is recomputed at the next run, nothing else
      // (days within the verdict margin of the import could change too, but hold no rows)
      await importTorPaths(store, [fixture('tor', 'collector-exit-lists')]);
      const h2 = await run('hour');
      const d2 = await run('day');
      assert.deepEqual(d2.computed.map((c) => [c.startMs, c.reason]), [[DAY_B, 'tor_history']]);
      assert.ok(h2.computed.length > 0 && h2.computed.every((c) => c.startMs >= DAY_B && c.startMs < DAY_B + 86_400_000 && c.reason === 'tor_history'), JSON.stringify(h2.computed.map((c) => new Date(c.startMs))));
      const after = { hour: await rollups(store, 'hour'), day: await rollups(store, 'day') };
      assert.ok(exitRequests(after.day, DAY_B) > 50, `exits on 2018-10-31 after the import: ${exitRequests(after.day, DAY_B)}`);
      assert.deepEqual(ofDay(after.day, DAY_A), ofDay(before.day, DAY_A));
      assert.deepEqual(ofDay(after.hour, DAY_A), ofDay(before.hour, DAY_A));
      assert.notDeepEqual(ofDay(after.hour, DAY_B), ofDay(before.hour, DAY_B));
      for (const g of ['hour', 'day'] as const) assert.deepEqual([...(await rollups(store, g))].sort(), [...(await direct(store, g))].sort(), `${g} after the import`);
      // superseded runs are gone: one run per window in the rollup table
      const runs = await store.query<{ n: string }>('SELECT count() AS n FROM (SELECT grain, window_start FROM ${DB}.summary_rollups GROUP BY grain, window_start HAVING uniqExact(run_id) > 1)');
      assert.equal(Number(runs[0]!.n), 0);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
