/**
 * Runs summaries for a grain. `runDueWindows` (the scheduler): every window that has ended and is not in the ledger
 * yet (catch-up after downtime), then windows made dirty by late rows, Tor imports or a policy change. At most
 * `maxWindows` windows are computed per run (new ones first, oldest first); windows no request row can lie in (no
 * arrivals) are recorded without a query. The rest waits for the next run. `ensureWindows` does the same for a
 * given range without a bound (reports), and `summarizeRange` recomputes a range whatever the ledger says.
 */
import type { ClickHouseStore } from '../store/store.js';
import { dirtyReason, newestArrival, readChangeFacts } from './dirty-windows.js';
import { computeWindow, dropSupersededRuns, emptyWindowRow, readLedger, recordWindows, storeNow, type ComputedWindow, type LedgerRow, type RunReason } from './window-ledger.js';
import { floorToGrain, GRAIN_MS, lastCompleteWindowStart, windowsBetween, type Grain, type Window } from './windows.js';

/** empty windows recorded per run at most (a first run after years of nothing stays cheap) */
const MAX_EMPTY_WINDOWS = 100_000;

export interface RunOptions {
  onWindow?: (w: ComputedWindow) => void;
}

export interface DueRunOptions extends RunOptions {
  grain: Grain;
  /** the scheduler's clock (epoch ms): windows that ended by then are due */
  nowMs: number;
  maxWindows: number;
}

export interface DueRunResult {
  grain: Grain;
  computed: ComputedWindow[];
  emptyRecorded: number;
  /** windows still due after this run (bounded work) */
  pending: number;
}

export function runDueWindows(store: ClickHouseStore, o: DueRunOptions): Promise<DueRunResult> {
  return planAndRun(store, o.grain, null, lastCompleteWindowStart(o.nowMs, o.grain) + GRAIN_MS[o.grain], o.maxWindows, o);
}

/** makes every window of `grain` starting in [fromMs, toMs) computed and up to date */
export function ensureWindows(store: ClickHouseStore, grain: Grain, fromMs: number, toMs: number, o: RunOptions = {}): Promise<DueRunResult> {
  return planAndRun(store, grain, floorToGrain(fromMs, grain), toMs, Infinity, o);
}

async function planAndRun(store: ClickHouseStore, grain: Grain, fromMs: number | null, toMs: number, maxWindows: number, o: RunOptions): Promise<DueRunResult> {
  const storeTime = await storeNow(store);
  const ledger = await readLedger(store, grain);
  let oldestStarted = storeTime;
  for (const e of ledger.values()) oldestStarted = Math.min(oldestStarted, e.startedAtMs);
  const facts = await readChangeFacts(store, oldestStarted);
  // scheduled: from the first window holding data (or computed) on
  let first = fromMs ?? Infinity;
  if (fromMs === null) for (const k of [...ledger.keys(), ...facts.arrivals.keys()]) first = Math.min(first, floorToGrain(k, grain));

  const toCompute: Array<{ w: Window; reason: RunReason }> = [];
  const empty: LedgerRow[] = [];
  let pending = 0;
  if (Number.isFinite(first)) {
    for (const w of windowsBetween(grain, first, toMs)) {
      if (ledger.has(w.startMs)) continue;
      if (toCompute.length >= maxWindows || empty.length >= MAX_EMPTY_WINDOWS) pending++;
      else if (newestArrival(facts, grain, w.startMs) > 0) toCompute.push({ w, reason: 'new' });
      else empty.push(emptyWindowRow(w, storeTime));
    }
  }
  const dirty = [...ledger.values()]
    .filter((e) => fromMs === null || (e.startMs >= fromMs && e.startMs < toMs))
    .map((e) => ({ e, reason: dirtyReason(facts, grain, e) }))
    .filter((x) => x.reason !== null)
    .sort((a, b) => a.e.startMs - b.e.startMs);
  for (const d of dirty) {
    if (toCompute.length >= maxWindows) pending++;
    else toCompute.push({ w: { grain, startMs: d.e.startMs }, reason: d.reason! });
  }
  await recordWindows(store, empty);
  const computed: ComputedWindow[] = [];
  for (const t of toCompute) {
    const c = await computeWindow(store, t.w, t.reason);
    computed.push(c);
    o.onWindow?.(c);
  }
  await dropSupersededRuns(store, grain, computed.filter((c) => c.reason !== 'new').map((c) => c.startMs));
  return { grain, computed, emptyRecorded: empty.length, pending };
}

/** recomputes every window of `grain` starting in [fromMs, toMs), whatever the ledger says */
export async function summarizeRange(store: ClickHouseStore, grain: Grain, fromMs: number, toMs: number, onWindow?: (w: ComputedWindow, done: number, total: number) => void): Promise<ComputedWindow[]> {
  const ws = windowsBetween(grain, fromMs, toMs);
  const before = await readLedger(store, grain, floorToGrain(fromMs, grain), toMs);
  const out: ComputedWindow[] = [];
  for (const w of ws) {
    const c = await computeWindow(store, w, before.has(w.startMs) ? 'on_demand' : 'new');
    out.push(c);
    onWindow?.(c, out.length, ws.length);
  }
  await dropSupersededRuns(store, grain, out.filter((c) => c.reason !== 'new').map((c) => c.startMs));
  return out;
}
