/**
 * Which computed windows are out of date ("dirty"):
 *   late_rows    request rows of the window arrived after its newest computation (summary_arrivals, filled by a
 *                materialized view on `requests`)
 *   tor_history  a Tor import that can change a verdict inside the window arrived after its newest computation.
 *                An import can change verdicts of times within margin + coverage slack + the longest join gap of
 *                its observations and coverage, so the window is compared with that padded range.
 *   tor_policy   the verdict policy changed after its newest computation (every verdict can change)
 */
import type { ClickHouseStore } from '../store/store.js';
import { readTorPolicy } from '../tor-store/tor-policy-store.js';
import type { LedgerEntry, RunReason } from './window-ledger.js';
import { GRAIN_MS, type Grain } from './windows.js';

/** the longest per-kind join gap of the verdict rules (docs/tor-verdicts.md) plus rounding */
const MAX_GAP_PAD_MS = 2 * 3_600_000;

export interface ChangeFacts {
  /** hour start (ms) → newest arrival (ms) */
  arrivals: Map<number, number>;
  /** Tor imports after `sinceMs`: the time range whose verdicts they can change, and when they arrived */
  imports: Array<{ fromMs: number; toMs: number; importedAtMs: number }>;
  policyUpdatedAtMs: number;
}

export async function readChangeFacts(store: ClickHouseStore, sinceMs: number): Promise<ChangeFacts> {
  const since = new Date(sinceMs).toISOString().slice(0, 23).replace('T', ' ');
  const arr = await store.query<{ h: number; a: string }>(
    'SELECT toUnixTimestamp(hour) AS h, toString(toUnixTimestamp64Milli(max(arrived_at))) AS a FROM ${DB}.summary_arrivals GROUP BY hour',
  );
  const imp = await store.query<{ id: string; at: string; f: number; t: number }>(
    'SELECT source_id AS id, toString(toUnixTimestamp64Milli(imported_at)) AS at, toUnixTimestamp(covered_from) AS f, toUnixTimestamp(covered_to) AS t FROM ${DB}.tor_imports WHERE imported_at > {s:DateTime64(3)}',
    { params: { s: since } },
  );
  const spans = new Map<string, { f: number; t: number }>();
  if (imp.length > 0) {
    const obs = await store.query<{ id: string; f: number; t: number }>(
      'SELECT source_id AS id, toUnixTimestamp(min(valid_from)) AS f, toUnixTimestamp(max(valid_to)) AS t FROM ${DB}.tor_observations WHERE source_id IN (SELECT source_id FROM ${DB}.tor_imports WHERE imported_at > {s:DateTime64(3)}) GROUP BY source_id',
      { params: { s: since } },
    );
    for (const o of obs) spans.set(o.id, o);
  }
  const policy = await readTorPolicy(store);
  const pad = policy.marginMs + policy.coverageSlackMs + MAX_GAP_PAD_MS;
  const pol = await store.query<{ u: string }>('SELECT toString(toUnixTimestamp64Milli(max(updated_at))) AS u FROM ${DB}.tor_policy');
  return {
    arrivals: new Map(arr.map((r) => [r.h * 1000, Number(r.a)])),
    imports: imp.map((i) => {
      const o = spans.get(i.id);
      const f = o ? Math.min(i.f, o.f) : i.f;
      const t = o ? Math.max(i.t, o.t) : i.t;
      return { fromMs: f * 1000 - pad, toMs: t * 1000 + pad, importedAtMs: Number(i.at) };
    }),
    policyUpdatedAtMs: Number(pol[0]?.u ?? 0),
  };
}

/** newest arrival of any hour inside [startMs, startMs + grain), 0 when none */
export function newestArrival(facts: ChangeFacts, grain: Grain, startMs: number): number {
  let newest = 0;
  for (let h = startMs; h < startMs + GRAIN_MS[grain]; h += GRAIN_MS.hour) newest = Math.max(newest, facts.arrivals.get(h) ?? 0);
  return newest;
}

/** why a computed window must be recomputed, or null when it is up to date */
export function dirtyReason(facts: ChangeFacts, grain: Grain, e: LedgerEntry): RunReason | null {
  const arrived = newestArrival(facts, grain, e.startMs);
  if (arrived === 0) return null; // no request row lies in the window: nothing to recompute
  if (arrived > e.startedAtMs) return 'late_rows';
  const end = e.startMs + GRAIN_MS[grain];
  if (facts.imports.some((i) => i.importedAtMs > e.startedAtMs && i.fromMs < end && i.toMs >= e.startMs)) return 'tor_history';
  if (facts.policyUpdatedAtMs > e.startedAtMs) return 'tor_policy';
  return null;
}
