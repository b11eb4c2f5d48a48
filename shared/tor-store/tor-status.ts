/** What the Tor history holds: counts per kind, coverage (merged, with gaps), last sync per source, version. */
import type { ClickHouseStore } from '../store/store.js';
import type { Interval } from '../tor/intervals.js';
import { coverageIntervals } from '../tor/tor-history.js';
import { readCoverage } from './store-history-view.js';
import { historyVersion } from './tor-history-store.js';
import { readTorPolicy } from './tor-policy-store.js';

export interface TorStatus {
  version: string | null;
  observations: Array<{ kind: string; observations: number; ips: number; first: string; last: string }>;
  imports: number;
  /** merged coverage of IPv4 (the headline) and per family: where `not_exit` is possible at all */
  coverage: CoverageStatus & { byFamily: { ipv4: CoverageStatus; ipv6: CoverageStatus } };
  lastSync: Array<{ source: string; outcome: string; at: string; lastSuccess: string | null; detail: string }>;
  policy: { marginMinutes: number; coverageSlackMinutes: number };
}

export interface CoverageStatus {
  intervals: number;
  from: string | null;
  to: string | null;
  gaps: Array<[string, string]>;
  hours: number;
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

export async function torStatus(store: ClickHouseStore): Promise<TorStatus> {
  const v = await historyVersion(store);
  const obs = await store.query<{ kind: string; n: string; ips: string; first: number; last: number }>(
    'SELECT kind, count() AS n, uniqExact(ip) AS ips, toUnixTimestamp(min(observed_at)) AS first, toUnixTimestamp(max(observed_at)) AS last FROM ${DB}.tor_observations GROUP BY kind ORDER BY kind',
  );
  const imports = await store.query<{ n: string }>('SELECT count() AS n FROM ${DB}.tor_imports');
  const records = await readCoverage(store);
  const v4 = coverageStatus(coverageIntervals(records, 4));
  const sync = await store.query<{ source: string; last_outcome: string; at: number; ok: number; last_detail: string }>(
    "SELECT source, argMax(outcome, started_at) AS last_outcome, toUnixTimestamp(max(started_at)) AS at, toUnixTimestamp(maxIf(finished_at, outcome IN ('applied', 'not_modified', 'unchanged'))) AS ok, argMax(detail, started_at) AS last_detail FROM ${DB}.tor_sync_runs GROUP BY source ORDER BY source",
  );
  const policy = await readTorPolicy(store);
  return {
    version: v > 0 ? new Date(v).toISOString() : null,
    observations: obs.map((o) => ({ kind: o.kind, observations: Number(o.n), ips: Number(o.ips), first: iso(o.first), last: iso(o.last) })),
    imports: Number(imports[0]?.n ?? 0),
    coverage: { ...v4, byFamily: { ipv4: v4, ipv6: coverageStatus(coverageIntervals(records, 6)) } },
    lastSync: sync.map((r) => ({ source: r.source, outcome: r.last_outcome, at: iso(r.at), lastSuccess: r.ok > 0 ? iso(r.ok) : null, detail: r.last_detail })),
    policy: { marginMinutes: policy.marginMs / 60_000, coverageSlackMinutes: policy.coverageSlackMs / 60_000 },
  };
}

function coverageStatus(merged: readonly Interval[]): CoverageStatus {
  const gaps: Array<[string, string]> = [];
  for (let i = 1; i < merged.length; i++) gaps.push([iso(merged[i - 1]!.toMs / 1000), iso(merged[i]!.fromMs / 1000)]);
  return {
    intervals: merged.length,
    from: merged[0] ? iso(merged[0].fromMs / 1000) : null,
    to: merged.length ? iso(merged[merged.length - 1]!.toMs / 1000) : null,
    gaps,
    hours: Math.round(merged.reduce((s, m) => s + (m.toMs - m.fromMs), 0) / 3_600_000),
  };
}
