/**
 * The batch plan log (shared/ingest/batch-plan-log.ts) on both backends: the embedded engine (parameterised query,
 * migration 003's table) and the ClickHouse server 18.16 (its parameter-free path, test/helpers/legacy-server-tables.ts).
 *
 * The case that matters is a rebalance in which the old owner's plan record landed after the new owner had loaded
 * the log: two plans then start at one offset, and the one to replay is the one planned last (the new owner's; the
 * old owner never wrote its batch, see partition-writer.ts). Each backend must answer the same plans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config/load-config.js';
import { createBatchPlanLog, type BatchPlan } from '../../shared/ingest/batch-plan-log.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { ensureSchema } from '../../shared/store/ensure-schema.js';
import { openServerStore } from '../../shared/store/server-store.js';
import type { ClickHouseStore } from '../../shared/store/store.js';
import { createLegacyIngestTables } from '../helpers/legacy-server-tables.js';
import { CLICKHOUSE_TEST_USERS, clickhouseServerUrl, requireClickhouseServer, uniqueName } from '../helpers/services.js';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const SOURCE = 'kafka:t_plans';

/** [first, last, planned at (ms after T0)] as the workers recorded them; partition 0 unless a fourth value says */
const RECORDED: Array<[number, number, number, number?]> = [
  [0, 99, 0],
  [100, 180, 1000], // old owner, closed by age; recorded after the new owner loaded the log
  [100, 250, 3000], // new owner: the same lines cut into another range
  [251, 300, 3100],
  [400, 500, 4000], // a stale plan longer than the new owner's
  [400, 450, 5000],
  [451, 520, 5100],
  [600, 640, 6000],
  [600, 660, 6000], // same instant: the longer range (argMax over (planned_at, last_offset))
  [100, 199, 500, 1], // another partition
];

/** [from, expected plans] */
const CASES: Array<[number, Array<[number, number]>]> = [
  [0, [[0, 99], [100, 250], [251, 300], [400, 450], [451, 520], [600, 660]]],
  [100, [[100, 250], [251, 300], [400, 450], [451, 520], [600, 660]]],
  [251, [[251, 300], [400, 450], [451, 520], [600, 660]]],
  [451, [[451, 520], [600, 660]]], // not the stale 400-500, which ends after 451 but is not the plan of 400
  [521, [[600, 660]]],
  [661, []],
];

async function checkBackend(store: ClickHouseStore): Promise<void> {
  const log = createBatchPlanLog(store);
  for (const [first, last, at, partition] of RECORDED) await log.record(SOURCE, partition ?? 0, { first: BigInt(first), last: BigInt(last) }, T0 + at);
  // a replay records its plan again: the same row (dedup token), nothing changes
  await log.record(SOURCE, 0, { first: 100n, last: 250n }, T0 + 9000);
  const asPairs = (plans: BatchPlan[]) => plans.map((p): [number, number] => [Number(p.first), Number(p.last)]);
  for (const [from, expected] of CASES) assert.deepEqual(asPairs(await log.load(SOURCE, 0, BigInt(from))), expected, `${store.mode}: plans from ${from}`);
  assert.deepEqual(asPairs(await log.load(SOURCE, 1, 0n)), [[100, 199]], `${store.mode}: partition 1`);
  assert.deepEqual(asPairs(await log.load('kafka:other', 0, 0n)), [], `${store.mode}: another source`);
}

test('plan log, embedded engine: per first offset the plan recorded last, then overlaps removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-plans-'));
  const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  try {
    await ensureSchema(store, loadConfig({ TORLOGS_DATA_DIR: dir }));
    await checkBackend(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plan log, ClickHouse server 18.16 (no query parameters): the same plans', async () => {
  await requireClickhouseServer();
  const database = uniqueName('plans').replace(/[^a-z0-9_]/gi, '_');
  const admin = openServerStore({ url: clickhouseServerUrl(), ...CLICKHOUSE_TEST_USERS.admin, database, timeoutMs: 30_000 });
  try {
    await createLegacyIngestTables(admin);
    assert.equal((await admin.capabilities()).dedupToken, false, 'the parameter-free path is the one under test');
    await checkBackend(admin);
  } finally {
    await admin.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin.close();
  }
});
