/**
 * The content of a daily report (per site, or '*' for all sites), read from the rollups in force: totals, Tor
 * verdicts, Tor share per hour and over the last 30 days, top countries / ASNs / paths of Tor (`exit`) traffic,
 * Tor data freshness and coverage (why part of the day is `unknown`), and ingest health (rows stored, dead letters
 * by reason). The JSON form is this object; the other formats render it.
 */
import type { ClickHouseStore } from '../store/store.js';
import { ensureWindows } from '../summaries/summarize.js';
import { chDateTime, GRAIN_MS } from '../summaries/windows.js';
import { torStatus } from '../tor-store/tor-status.js';
import { readTorPolicy } from '../tor-store/tor-policy-store.js';
import { uncoveredParts } from './coverage-gaps.js';

export const ALL_SITES = '*';
const VERDICTS = ['exit', 'near', 'not_exit', 'unknown'] as const;
type Verdict = (typeof VERDICTS)[number];

export interface Counted {
  key: string;
  requests: number;
  uniqueIps: number;
  bytes: number;
}

export interface ReportData {
  kind: 'torlogs-daily-report';
  date: string;
  site: string;
  generatedAt: string;
  totals: { requests: number; bytes: number; uniqueIps: number; torShare: number };
  torVerdicts: Record<Verdict, { requests: number; uniqueIps: number; share: number }>;
  hourly: Array<{ hour: string; requests: number; exit: number; near: number; notExit: number; unknown: number; torShare: number }>;
  last30Days: Array<{ date: string; requests: number; exit: number; torShare: number }>;
  topTorCountries: Counted[];
  topTorAsns: Counted[];
  topTorPaths: Counted[];
  topCountries: Counted[];
  statusClasses: Counted[];
  torData: {
    historyVersion: string | null;
    coverageFrom: string | null;
    coverageTo: string | null;
    policy: { marginMinutes: number; coverageSlackMinutes: number };
    lastSync: Array<{ source: string; outcome: string; at: string; lastSuccess: string | null }>;
    unknownRequests: number;
    unknownShare: number;
    /** IPv6 coverage (exit lists are IPv4-only: without an IPv6 bulk list, IPv6 requests are never `not_exit`) */
    ipv6CoverageFrom: string | null;
    ipv6CoverageTo: string | null;
    /** parts of the day where `not_exit` could not be given to IPv4 requests: no coverage of T ± slack */
    uncovered: Array<{ from: string; to: string; reason: string }>;
    uncoveredMinutes: number;
    note: string;
  };
  ingest: { rowsStored: number; deadLettered: number; deadLetteredByReason: Array<{ reason: string; lines: number }> };
}

interface RollupRow {
  grain: 'hour' | 'day';
  ws: number;
  dim: string;
  key: string;
  requests: string;
  bytes: string;
  unique_ips: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1e6) / 1e6 : 0);
export const TOP_N = 10;

/** reads the rollups in force for (date, site); computes missing or dirty windows of the day and the 30 days first */
export async function buildReport(store: ClickHouseStore, dayMs: number, site: string = ALL_SITES, nowMs = Date.now()): Promise<ReportData> {
  const from30 = dayMs - 29 * GRAIN_MS.day;
  const dayEnd = dayMs + GRAIN_MS.day;
  await ensureWindows(store, 'hour', dayMs, dayEnd);
  await ensureWindows(store, 'day', from30, dayEnd);
  const rows = await store.query<RollupRow>(
    `SELECT toString(grain) AS grain, toUnixTimestamp(window_start) AS ws, dim, key, requests, bytes, unique_ips
     FROM \${DB}.summary_rollups
     WHERE site = {site:String} AND window_start >= {f:DateTime} AND window_start < {t:DateTime}
       AND (grain = 'day' OR window_start >= {d:DateTime})
       AND (grain, window_start, run_id) IN (SELECT grain, window_start, argMax(run_id, started_at) FROM \${DB}.summary_windows WHERE window_start >= {f:DateTime} AND window_start < {t:DateTime} GROUP BY grain, window_start)`,
    { params: { site, f: chDateTime(from30), t: chDateTime(dayEnd), d: chDateTime(dayMs) } },
  );
  const num = (r: RollupRow): Counted => ({ key: r.key, requests: Number(r.requests), uniqueIps: Number(r.unique_ips), bytes: Number(r.bytes) });
  const day = rows.filter((r) => r.grain === 'day' && r.ws * 1000 === dayMs);
  const dim = (d: string) => day.filter((r) => r.dim === d).map(num).sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : 1));
  const total = dim('total')[0] ?? { key: '', requests: 0, uniqueIps: 0, bytes: 0 };
  const verdictRows = new Map(dim('tor_verdict').map((c) => [c.key, c]));
  const torVerdicts = Object.fromEntries(
    VERDICTS.map((v) => {
      const c = verdictRows.get(v);
      return [v, { requests: c?.requests ?? 0, uniqueIps: c?.uniqueIps ?? 0, share: share(c?.requests ?? 0, total.requests) }];
    }),
  ) as ReportData['torVerdicts'];

  const byWindow = (grain: 'hour' | 'day', ws: number) => {
    const rs = rows.filter((r) => r.grain === grain && r.ws * 1000 === ws);
    const req = Number(rs.find((r) => r.dim === 'total')?.requests ?? 0);
    const v = (k: string) => Number(rs.find((r) => r.dim === 'tor_verdict' && r.key === k)?.requests ?? 0);
    return { requests: req, exit: v('exit'), near: v('near'), notExit: v('not_exit'), unknown: v('unknown') };
  };
  const hourly = Array.from({ length: 24 }, (_, h) => {
    const ws = dayMs + h * GRAIN_MS.hour;
    const w = byWindow('hour', ws);
    return { hour: iso(ws), ...w, torShare: share(w.exit, w.requests) };
  });
  const last30Days = Array.from({ length: 30 }, (_, i) => {
    const ws = from30 + i * GRAIN_MS.day;
    const w = byWindow('day', ws);
    return { date: iso(ws).slice(0, 10), requests: w.requests, exit: w.exit, torShare: share(w.exit, w.requests) };
  });

  const status = await torStatus(store);
  const policy = await readTorPolicy(store);
  const uncovered = uncoveredParts(status.coverage, policy.coverageSlackMs, dayMs, dayEnd);
  const uncoveredMinutes = Math.round(uncovered.reduce((s, u) => s + (Date.parse(u.to) - Date.parse(u.from)), 0) / 60_000);
  const unknown = torVerdicts.unknown.requests;

  const rej = await store.query<{ reason: string; n: string }>(
    `SELECT reason, count() AS n FROM \${DB}.ingest_rejects WHERE received_at >= {d:DateTime64(3)} AND received_at < {t:DateTime64(3)} AND ({site:String} = '*' OR site = {site:String}) GROUP BY reason ORDER BY n DESC, reason`,
    { params: { d: `${chDateTime(dayMs)}.000`, t: `${chDateTime(dayEnd)}.000`, site } },
  );
  const byReason = rej.map((r) => ({ reason: r.reason, lines: Number(r.n) }));

  return {
    kind: 'torlogs-daily-report',
    date: iso(dayMs).slice(0, 10),
    site,
    generatedAt: iso(nowMs),
    totals: { requests: total.requests, bytes: total.bytes, uniqueIps: total.uniqueIps, torShare: share(torVerdicts.exit.requests, total.requests) },
    torVerdicts,
    hourly,
    last30Days,
    topTorCountries: dim('tor_country').slice(0, TOP_N),
    topTorAsns: dim('tor_asn').slice(0, TOP_N),
    topTorPaths: dim('tor_path').slice(0, TOP_N),
    topCountries: dim('country').slice(0, TOP_N),
    statusClasses: dim('status_class').sort((a, b) => (a.key < b.key ? -1 : 1)),
    torData: {
      historyVersion: status.version,
      coverageFrom: status.coverage.from,
      coverageTo: status.coverage.to,
      ipv6CoverageFrom: status.coverage.byFamily.ipv6.from,
      ipv6CoverageTo: status.coverage.byFamily.ipv6.to,
      policy: status.policy,
      lastSync: status.lastSync.map((l) => ({ source: l.source, outcome: l.outcome, at: l.at, lastSuccess: l.lastSuccess })),
      unknownRequests: unknown,
      unknownShare: share(unknown, total.requests),
      uncovered,
      uncoveredMinutes,
      note:
        unknown === 0
          ? 'Every request of the day had Tor data around its time.'
          : `${unknown} requests (${(share(unknown, total.requests) * 100).toFixed(2)}%) are \`unknown\`: no Tor history of their address family covers their time ± ${status.policy.coverageSlackMinutes} min (see the uncovered parts below; IPv6 needs a list with IPv6 addresses), so they are neither counted as Tor nor as not Tor. \`unknown\` is not a "no".`,
    },
    ingest: { rowsStored: total.requests, deadLettered: byReason.reduce((s, r) => s + r.lines, 0), deadLetteredByReason: byReason },
  };
}
