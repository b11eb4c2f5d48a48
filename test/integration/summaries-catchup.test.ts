import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTorlogs } from '../helpers/cli.js';
import { generateLines } from '../helpers/generate-lines.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { createLogger } from '../../shared/observability/logger.js';
import { createMetrics } from '../../shared/observability/metrics.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { ensureSchema } from '../../shared/store/ensure-schema.js';
import { startSummariesService } from '../../shared/summaries/summaries-service.js';
import { runDueWindows } from '../../shared/summaries/summarize.js';

const H = 3_600_000;
const DAY = Date.UTC(2023, 5, 3);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

test('scheduler clock moved forward 3 hours: every missed hour is summarised exactly once; no overlapping runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-catchup-'));
  try {
    // 2023-06-03, one line every 30 s over the whole day (2,880 lines), three sites
    const file = join(dir, 'day.log');
    writeFileSync(file, `${[...generateLines(2880, { seed: 7, fromMs: DAY, stepMs: 30_000 })].map((g) => g.line).join('\n')}\n`);
    const ing = await runTorlogs(['ingest', '--file', file, '--site', 'shop.example', '--json'], { TORLOGS_DATA_DIR: dir });
    assert.equal(ing.code, 0, ing.stderr);

    const config = loadConfig({ TORLOGS_DATA_DIR: dir, TORLOGS_REPORTS_DIR: join(dir, 'reports'), TORLOGS_SUMMARY_HOURLY_CRON: '0 0 1 1 *', TORLOGS_SUMMARY_DAILY_CRON: '0 0 1 1 *' });
    const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
    const metrics = createMetrics();
    let clock = DAY + 20 * H + 10 * 60_000; // 20:10
    const svc = startSummariesService({ store, config, logger: createLogger('silent'), metrics, now: () => clock });
    try {
      await ensureSchema(store, config);
      const r1 = await svc.runNow();
      assert.deepEqual(r1.hour!.computed.map((c) => iso(c.startMs)), Array.from({ length: 20 }, (_, h) => iso(DAY + h * H)));
      assert.equal(r1.day!.computed.length, 0, 'the day has not ended');

      clock += 3 * H; // downtime: 23:10
      const r2 = await svc.runNow();
      assert.deepEqual(r2.hour!.computed.map((c) => [iso(c.startMs), c.reason, c.requests]), [20, 21, 22].map((h) => [iso(DAY + h * H), 'new', 120]));

      clock += 3 * H; // 02:10 the next day: 23:00 has rows, 00:00 and 01:00 are empty; the day is complete
      const [r3, r3b] = await Promise.all([svc.runNow(), svc.runNow()]);
      assert.deepEqual(r3.hour!.computed.map((c) => iso(c.startMs)), [iso(DAY + 23 * H)]);
      assert.equal(r3.hour!.emptyRecorded, 2);
      assert.deepEqual(r3.day!.computed.map((c) => [iso(c.startMs), c.requests]), [[iso(DAY), 2880]]);
      assert.equal(r3b.hour!.computed.length + r3b.day!.computed.length, 0, 'the second call waited for the first and found nothing due');
      // the daily job wrote the reports of the day it computed
      assert.deepEqual(r3.reports.map((r) => r.site), ['*', 'shop.example']);
      for (const ext of ['json', 'csv', 'md', 'html']) assert.ok(existsSync(join(dir, 'reports', '2023-06-03', `all-sites.${ext}`)), ext);

      const ledger = await store.query<{ ws: string; runs: string }>("SELECT toString(window_start) AS ws, count() AS runs FROM ${DB}.summary_windows WHERE grain = 'hour' GROUP BY ws ORDER BY ws");
      assert.deepEqual(
        ledger.map((l) => [l.ws, Number(l.runs)]),
        Array.from({ length: 26 }, (_, h) => [new Date(DAY + h * H).toISOString().slice(0, 19).replace('T', ' '), 1]),
      );
      const hourSum = await store.query<{ n: string }>("SELECT sum(requests) AS n FROM ${DB}.summary_rollups WHERE grain = 'hour' AND site = '*' AND dim = 'total'");
      assert.equal(Number(hourSum[0]!.n), 2880);
      assert.equal(await metrics.value('job_runs_total', { job: 'summaries_hourly', outcome: 'success' }), 4);
      assert.equal(await metrics.value('job_runs_total', { job: 'summaries_daily', outcome: 'success' }), 4);

      // late rows for 10:00 (a delayed shipper): that hour and the day are recomputed at the next run, nothing else
      const cols = ['ts', 'site', 'ip', 'path', 'status', 'bytes', 'source', 'source_partition', 'source_offset', 'line_index'];
      const late = Array.from({ length: 5 }, (_, i) => `2023-06-03 10:30:0${i}.000\tshop.example\t::ffff:198.51.100.${i + 1}\t/late\t200\t10\tlate\t0\t${i}\t0\n`).join('');
      await store.insert({ table: 'requests', columns: cols, format: 'TabSeparated', data: late });
      const r4 = await svc.runNow();
      assert.deepEqual(r4.hour!.computed.map((c) => [iso(c.startMs), c.reason, c.requests]), [[iso(DAY + 10 * H), 'late_rows', 125]]);
      assert.deepEqual(r4.day!.computed.map((c) => [iso(c.startMs), c.reason, c.requests]), [[iso(DAY), 'late_rows', 2885]]);
      assert.equal(JSON.parse(readFileSync(join(dir, 'reports', '2023-06-03', 'all-sites.json'), 'utf8')).totals.requests, 2885, 'the report was rewritten');
      assert.equal(svc.health().ok, true);
    } finally {
      await svc.stop();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bounded work per run: the rest waits for the next run; torlogs summarize recomputes a range with the same numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-bounded-'));
  try {
    const file = join(dir, 'day.log');
    writeFileSync(file, `${[...generateLines(1440, { seed: 9, fromMs: DAY, stepMs: 60_000 })].map((g) => g.line).join('\n')}\n`);
    const env = { TORLOGS_DATA_DIR: dir };
    assert.equal((await runTorlogs(['ingest', '--file', file, '--site', 'shop.example'], env)).code, 0);
    const s1 = await runTorlogs(['summarize', '--from', '2023-06-03', '--to', '2023-06-04', '--json'], env);
    assert.equal(s1.code, 0, s1.stderr);
    const s2 = await runTorlogs(['summarize', '--from', '2023-06-03', '--to', '2023-06-04', '--json'], env);
    assert.equal(s2.code, 0, s2.stderr);
    type W = { grain: string; window: string; requests: number; reason: string };
    const [w1, w2] = [JSON.parse(s1.stdout) as W[], JSON.parse(s2.stdout) as W[]];
    assert.equal(w1.length, 25);
    assert.deepEqual(w1.map((w) => [w.grain, w.window, w.requests]), w2.map((w) => [w.grain, w.window, w.requests]));
    assert.ok(w1.every((w) => w.reason === 'new') && w2.every((w) => w.reason === 'on_demand'));
    assert.deepEqual(w1.filter((w) => w.grain === 'day').map((w) => w.requests), [1440]);

    const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
    try {
      const rows = await store.query<{ runs: string; rows: string }>('SELECT uniqExact(grain, window_start, run_id) AS runs, count() AS rows FROM ${DB}.summary_rollups');
      assert.equal(Number(rows[0]!.runs), 25, 'one run per window remains');
      // the scheduler on a store where nothing was summarised yet, 10 windows per run: the day's 24 hours in 3 runs
      await store.command('TRUNCATE TABLE ${DB}.summary_windows');
      await store.command('TRUNCATE TABLE ${DB}.summary_rollups');
      const now = DAY + 86_400_000 + 300_000;
      const runs = [];
      for (let i = 0; i < 4; i++) runs.push(await runDueWindows(store, { grain: 'hour', nowMs: now, maxWindows: 10 }));
      assert.deepEqual(runs.map((r) => [r.computed.length, r.pending]), [[10, 14], [10, 4], [4, 0], [0, 0]]);
      const ledger = await store.query<{ n: string; w: string }>("SELECT count() AS n, uniqExact(window_start) AS w FROM ${DB}.summary_windows WHERE grain = 'hour'");
      assert.deepEqual([Number(ledger[0]!.n), Number(ledger[0]!.w)], [24, 24]);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
