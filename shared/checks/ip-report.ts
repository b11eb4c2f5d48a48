/**
 * One IP over a time range (GET /v1/ips/{ip}): its Tor exit intervals within the verdict margin of the range
 * (TypeScript rules, with relays), the verdict with evidence at the range ends and at its first and last request, its activity in the
 * range, and its requests counted by the query-time SQL verdict (`${DB}_tor_verdict`, what analysts' SQL sees).
 */
import { toIPv6Column } from '../net/ip.js';
import type { ClickHouseStore } from '../store/store.js';
import { exitIntervals } from '../tor/tor-history.js';
import { KIND_STRENGTH } from '../tor/tor-document.js';
import { iso } from '../tor/tor-time.js';
import { verdict, type Verdict } from '../tor/verdict.js';
import { loadHistoryView } from '../tor-store/store-history-view.js';
import { readTorPolicy } from '../tor-store/tor-policy-store.js';
import { loadActivity, type Activity } from './check-activity.js';
import { pickGeo, type CheckGeo, type GeoLookup } from './check-geo.js';

export const MAX_RANGE_MS = 31 * 86_400_000;

export interface IpReport {
  ip: string;
  from: string;
  to: string;
  site: string | null;
  torIntervals: Array<{ kind: string; strength: string; from: string; to: string; observations: number; relays: string[] }>;
  verdicts: Array<{ label: 'from' | 'to' | 'first_request' | 'last_request'; at: string; verdict: Verdict; summary: string; relays: string[] }>;
  requestsByVerdict: Record<Verdict, number>;
  geo: CheckGeo;
  activity: Activity;
}

export async function ipReport(deps: { store: ClickHouseStore; geo?: GeoLookup | null }, ip: string, fromMs: number, toMs: number, site: string | null): Promise<IpReport> {
  const { store } = deps;
  const [view, policy, act, counts] = await Promise.all([
    loadHistoryView(store, [ip]),
    readTorPolicy(store),
    loadActivity(store, [{ ip, fromMs, toMs, atMs: fromMs, site }]),
    store.query<{ v: Verdict; n: string }>(
      `SELECT \${DB}_tor_verdict(ip, ts) AS v, count() AS n FROM \${DB}.requests
       WHERE ip = toIPv6({ip:String}) AND ts >= fromUnixTimestamp64Milli({f:Int64}) AND ts <= fromUnixTimestamp64Milli({t:Int64}) AND ({site:String} = '' OR site = {site:String})
       GROUP BY v`,
      { params: { ip: toIPv6Column(ip), f: fromMs, t: toMs, site: site ?? '' }, readonly: true },
    ),
  ]);
  const records = view.observationsOf(ip);
  const lo = fromMs - policy.marginMs;
  const hi = toMs + policy.marginMs;
  const torIntervals = exitIntervals(records, policy)
    .filter((iv) => iv.toMs >= lo && iv.fromMs <= hi)
    .map((iv) => ({
      kind: iv.kind, strength: KIND_STRENGTH[iv.kind], from: iso(iv.fromMs), to: iso(iv.toMs), observations: iv.count ?? 0,
      relays: [...new Set(records.filter((r) => r.kind === iv.kind && r.validToMs >= iv.fromMs && r.validFromMs <= iv.toMs).map((r) => r.fingerprint).filter((f) => f !== ''))].sort(),
    }));
  const activity = act.activity[0]!;
  const points: Array<[IpReport['verdicts'][number]['label'], number]> = [['from', fromMs], ['to', toMs]];
  if (activity.firstRequest) points.push(['first_request', Date.parse(activity.firstRequest)]);
  if (activity.lastRequest) points.push(['last_request', Date.parse(activity.lastRequest)]);
  const verdicts = points.map(([label, t]) => {
    const v = verdict(view, ip, t, policy);
    return { label, at: v.at, verdict: v.verdict, summary: v.summary, relays: v.evidence.relays };
  });
  const requestsByVerdict: Record<Verdict, number> = { exit: 0, near: 0, not_exit: 0, unknown: 0 };
  for (const c of counts) requestsByVerdict[c.v] = Number(c.n);
  return {
    ip, from: iso(fromMs), to: iso(toMs), site, torIntervals, verdicts, requestsByVerdict,
    geo: pickGeo(ip, act.geo[0] ?? null, deps.geo ?? null), activity,
  };
}
