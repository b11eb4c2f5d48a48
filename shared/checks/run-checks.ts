/**
 * Retrospective checks: for each (ip, time, site?) item the Tor verdict with its evidence (verdict() over the
 * stored history), the geo/ASN at the time and the IP's activity in the window. A batch loads the history of all
 * its IPs in one go and the activity of all items with one grouped query, so 10,000 items take one round each.
 */
import type { ClickHouseStore } from '../store/store.js';
import type { TorHistoryView } from '../tor/tor-history.js';
import type { TorPolicy } from '../tor/tor-policy.js';
import { iso } from '../tor/tor-time.js';
import type { Verdict, VerdictEvidence, VerdictResult } from '../tor/verdict.js';
import { readTorPolicy } from '../tor-store/tor-policy-store.js';
import { createBatchVerdicts } from './batch-verdicts.js';
import { loadActivity, type Activity } from './check-activity.js';
import { loadHistoryView } from '../tor-store/store-history-view.js';
import { pickGeo, type CheckGeo, type GeoLookup } from './check-geo.js';
import type { CheckItem } from './check-item.js';

export const DEFAULT_WINDOW_MS = 3_600_000;
export const MAX_WINDOW_MS = 31 * 86_400_000;

export interface CheckResult {
  /** canonical IP */
  ip: string;
  /** the IP as given, when it was written differently */
  input?: string;
  at: string;
  site: string | null;
  verdict: Verdict;
  summary: string;
  evidence: VerdictEvidence;
  geo: Omit<CheckGeo, 'asn' | 'asOrg'>;
  asn: { number: number; organization: string; source: CheckGeo['source'] };
  activity: Activity;
}

export interface CheckDeps {
  store: ClickHouseStore;
  /** current MaxMind databases, for IPs without a stored request near the time */
  geo?: GeoLookup | null;
  /** defaults: the store's history and policy */
  loadHistory?: (store: ClickHouseStore, ips: readonly string[]) => Promise<TorHistoryView>;
  policy?: TorPolicy;
}

export interface CheckOptions {
  /** activity window: [T - windowMs, T + windowMs] */
  windowMs?: number;
  /** `compact`: at most COMPACT_OBSERVATIONS observations per item and no policy (the same for every item) */
  evidence?: 'full' | 'compact';
}

export const COMPACT_OBSERVATIONS = 5;

function compact(e: VerdictEvidence): VerdictEvidence {
  const { policy: _policy, ...rest } = e;
  return { ...rest, observations: e.observations.slice(0, COMPACT_OBSERVATIONS) } as VerdictEvidence;
}

export async function runChecks(deps: CheckDeps, items: readonly CheckItem[], o: CheckOptions = {}): Promise<CheckResult[]> {
  const windowMs = o.windowMs ?? DEFAULT_WINDOW_MS;
  const ips = [...new Set(items.map((i) => i.ip))];
  // the activity query runs in the store's threads while this thread parses the history and computes verdicts
  const activity = loadActivity(deps.store, items.map((i) => ({ ip: i.ip, atMs: i.atMs, fromMs: i.atMs - windowMs, toMs: i.atMs + windowMs, site: i.site })));
  activity.catch(() => undefined); // awaited below; no unhandled rejection while the history loads
  const [history, policy] = await Promise.all([(deps.loadHistory ?? loadHistoryView)(deps.store, ips), deps.policy ?? readTorPolicy(deps.store)]);
  const seen = new Map<string, VerdictResult>();
  const verdictOf = createBatchVerdicts(history, policy);
  const verdicts = items.map((item) => {
    const key = `${item.ip} ${item.atMs}`;
    let v = seen.get(key);
    if (!v) seen.set(key, (v = verdictOf(item.ip, item.atMs)));
    return v;
  });
  const act = await activity;
  return items.map((item, k) => {
    const v = verdicts[k]!;
    const g = pickGeo(item.ip, act.geo[k] ?? null, deps.geo ?? null);
    const { asn, asOrg, ...place } = g;
    const r: CheckResult = {
      ip: v.ip, at: iso(item.atMs), site: item.site, verdict: v.verdict, summary: v.summary, evidence: o.evidence === 'compact' ? compact(v.evidence) : v.evidence,
      geo: place, asn: { number: asn, organization: asOrg, source: g.source }, activity: act.activity[k]!,
    };
    if (item.input !== undefined && item.input.trim() !== v.ip) r.input = item.input;
    return r;
  });
}
