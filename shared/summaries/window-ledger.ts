/**
 * The ledger of computed windows (summary_windows) and the computation of one window. A window's rollup rows are
 * written under a fresh run id, then the ledger row makes that run the one in force; rows of older runs of the same
 * window are deleted afterwards (readers never see them: they read the run in force only).
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseStore } from '../store/store.js';
import { ROLLUP_INSERT, ROLLUP_SETTINGS } from './rollup-sql.js';
import { chDateTime, GRAIN_MS, type Grain, type Window } from './windows.js';

export type RunReason = 'new' | 'late_rows' | 'tor_history' | 'tor_policy' | 'on_demand';

export interface ComputedWindow {
  grain: Grain;
  startMs: number;
  runId: string;
  reason: RunReason;
  requests: number;
  ms: number;
}

export interface LedgerEntry {
  startMs: number;
  /** real time the newest computation started (epoch ms): later arrivals or Tor imports make the window dirty */
  startedAtMs: number;
  runId: string;
  runs: number;
}

/** the run in force of every window of a grain (optionally starting in [fromMs, toMs)) */
export async function readLedger(store: ClickHouseStore, grain: Grain, fromMs = 0, toMs = 8_000_000_000_000): Promise<Map<number, LedgerEntry>> {
  const rows = await store.query<{ ws: number; started: string; run: string; runs: string }>(
    `SELECT toUnixTimestamp(window_start) AS ws, toString(toUnixTimestamp64Milli(max(started_at))) AS started, toString(argMax(run_id, started_at)) AS run, count() AS runs
     FROM \${DB}.summary_windows WHERE grain = {g:String} AND window_start >= {f:DateTime} AND window_start < {t:DateTime} GROUP BY window_start`,
    { params: { g: grain, f: chDateTime(fromMs), t: chDateTime(Math.min(toMs, 4_000_000_000_000)) } },
  );
  return new Map(rows.map((r) => [r.ws * 1000, { startMs: r.ws * 1000, startedAtMs: Number(r.started), runId: r.run, runs: Number(r.runs) }]));
}

/** newest window start with a ledger entry, or null */
export async function lastCompletedStart(store: ClickHouseStore, grain: Grain): Promise<number | null> {
  const rows = await store.query<{ n: string; ws: number }>('SELECT count() AS n, toUnixTimestamp(max(window_start)) AS ws FROM ${DB}.summary_windows WHERE grain = {g:String}', { params: { g: grain } });
  return Number(rows[0]?.n ?? 0) > 0 ? rows[0]!.ws * 1000 : null;
}

/**
 * The store's clock (epoch ms). Computation times are compared with arrival times, which the store writes
 * (materialized view), so both come from one clock.
 */
export async function storeNow(store: ClickHouseStore): Promise<number> {
  const rows = await store.query<{ t: string }>('SELECT toString(toUnixTimestamp64Milli(now64(3))) AS t');
  return Number(rows[0]!.t);
}

/** computes one window from `requests` (query-time Tor verdicts) and records it in the ledger */
export async function computeWindow(store: ClickHouseStore, w: Window, reason: RunReason): Promise<ComputedWindow> {
  const runId = randomUUID();
  const startedAt = await storeNow(store);
  const t0 = performance.now();
  const ws = chDateTime(w.startMs);
  const params = { grain: w.grain, ws, run: runId, from: `${ws}.000`, to: `${chDateTime(w.startMs + GRAIN_MS[w.grain])}.000` };
  await store.command(ROLLUP_INSERT, { params, settings: ROLLUP_SETTINGS });
  const tot = await store.query<{ n: string }>("SELECT sum(requests) AS n FROM ${DB}.summary_rollups WHERE grain = {g:String} AND window_start = {ws:DateTime} AND run_id = {run:UUID} AND site = '*' AND dim = 'total'", {
    params: { g: w.grain, ws, run: runId },
  });
  const requests = Number(tot[0]?.n ?? 0);
  await recordWindows(store, [{ ...w, runId, startedAtMs: startedAt, finishedAtMs: await storeNow(store), requests, reason }]);
  return { grain: w.grain, startMs: w.startMs, runId, reason, requests, ms: performance.now() - t0 };
}

export interface LedgerRow extends Window {
  runId: string;
  startedAtMs: number;
  finishedAtMs: number;
  requests: number;
  reason: RunReason;
}

export async function recordWindows(store: ClickHouseStore, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const ms = (t: number) => new Date(t).toISOString().slice(0, 23).replace('T', ' ');
  const data = rows.map((r) => `${r.grain}\t${chDateTime(r.startMs)}\t${r.runId}\t${ms(r.startedAtMs)}\t${ms(r.finishedAtMs)}\t${r.requests}\t${r.reason}\n`).join('');
  await store.insert({ table: 'summary_windows', columns: ['grain', 'window_start', 'run_id', 'started_at', 'finished_at', 'requests', 'reason'], format: 'TabSeparated', data });
}

/** removes rollup rows of runs that are no longer in force for the given windows */
export async function dropSupersededRuns(store: ClickHouseStore, grain: Grain, starts: readonly number[]): Promise<void> {
  if (starts.length === 0) return;
  await store.command(
    `DELETE FROM \${DB}.summary_rollups WHERE grain = {g:String} AND window_start IN {ws:Array(DateTime)}
       AND (window_start, run_id) NOT IN (SELECT window_start, argMax(run_id, started_at) FROM \${DB}.summary_windows WHERE grain = {g:String} AND window_start IN {ws:Array(DateTime)} GROUP BY window_start)`,
    { params: { g: grain, ws: starts.map(chDateTime) } },
  );
}

/** a window recorded as computed without a query: no request row can lie in it (no arrivals) */
export function emptyWindowRow(w: Window, atMs: number): LedgerRow {
  return { ...w, runId: randomUUID(), startedAtMs: atMs, finishedAtMs: atMs, requests: 0, reason: 'new' };
}
