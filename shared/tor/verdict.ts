/**
 * verdict(history, ip, T) with evidence. The rules (docs/tor-verdicts.md), in order:
 *   exit      T lies inside a membership interval of the IP (exitIntervals: per kind, joined by maxGap)
 *   near      T lies within the margin of one (but inside none)
 *   not_exit  coverage of the IP's address family spans [T - slack, T + slack] and neither of the above holds
 *   unknown   otherwise: no Tor data covers T. Never reported as "not Tor"; the evidence names what is missing.
 * An IPv4-mapped IPv6 address is the IPv4 address. TorIndex.lookup gives the same verdict without evidence.
 */
import { TorlogsError } from '../core/errors.js';
import { ipFamily, normalizeIp, type IpFamily } from '../net/ip.js';
import { distanceTo, spans, uncovered } from './intervals.js';
import { KIND_STRENGTH, type EvidenceStrength } from './tor-document.js';
import { coverageIntervals, exitIntervals, type KindInterval, type ObservationRecord, type TorHistoryView } from './tor-history.js';
import { DEFAULT_TOR_POLICY, policySummary, type TorPolicy } from './tor-policy.js';
import { iso } from './tor-time.js';
import { verdictSummary } from './verdict-summary.js';

export type Verdict = 'exit' | 'near' | 'not_exit' | 'unknown';

export interface EvidenceInterval {
  kind: string;
  strength: EvidenceStrength;
  from: string;
  to: string;
  observations: number;
  relation: 'contains' | 'before' | 'after';
  distanceMinutes: number;
}

export interface EvidenceObservation {
  kind: string;
  source: string;
  fingerprint: string;
  observedAt: string;
  validFrom: string;
  validTo: string;
  badExit?: boolean;
}

export interface VerdictEvidence {
  /** the strongest kind of evidence among `intervals` (null when there is none) */
  strength: EvidenceStrength | null;
  /** the IP's intervals containing T (exit) or within the margin (near), nearest first */
  intervals: EvidenceInterval[];
  /** observations inside those intervals, nearest to T first (at most 50; `observationsTotal` counts all) */
  observations: EvidenceObservation[];
  observationsTotal: number;
  /** the IP's nearest observations before and after T, whatever the distance */
  seen: { lastBefore: EvidenceObservation | null; firstAfter: EvidenceObservation | null };
  relays: string[];
  kinds: string[];
  coverage: {
    family: IpFamily;
    /** the window that must be covered for `not_exit` */
    required: [string, string];
    covered: boolean;
    /** T itself lies inside the coverage (a snapshot or list vouches for the instant) */
    atT: boolean;
    /** uncovered parts of `required` */
    missing: Array<[string, string]>;
    /** extent of the coverage of this family: [first, last] (gaps are in `missing` when they matter) */
    history: [string, string] | null;
  };
  policy: ReturnType<typeof policySummary>;
}

export interface VerdictResult {
  /** canonical IP */
  ip: string;
  at: string;
  verdict: Verdict;
  summary: string;
  evidence: VerdictEvidence;
}

const MAX_OBSERVATIONS = 50;
const MAX_INTERVALS = 20;
const STRENGTH_ORDER: EvidenceStrength[] = ['measured', 'listed', 'or_address'];

export function verdict(history: TorHistoryView, ip: string, atMs: number, policy: TorPolicy = DEFAULT_TOR_POLICY): VerdictResult {
  return evaluate(history, ip, atMs, policy);
}

function evaluate(history: TorHistoryView, rawIp: string, atMs: number, policy: TorPolicy): VerdictResult {
  const ip = normalizeIp(rawIp);
  if (ip === null) throw new TorlogsError('usage_invalid', `not an IP address: ${JSON.stringify(rawIp.slice(0, 60))}`);
  if (!Number.isFinite(atMs)) throw new TorlogsError('usage_invalid', `not a time: ${String(atMs)}`);
  const family = ipFamily(ip);
  const records = history.observationsOf(ip);
  const intervals = exitIntervals(records, policy);
  const inside = intervals.filter((iv) => iv.fromMs <= atMs && atMs <= iv.toMs);
  const nearby = inside.length > 0 ? [] : intervals.filter((iv) => distanceTo(iv, atMs) <= policy.marginMs);
  const shown = (inside.length > 0 ? inside : nearby).sort((x, y) => distanceTo(x, atMs) - distanceTo(y, atMs));

  const merged = history.coverageIntervals?.(family) ?? coverageIntervals(history.coverage, family);
  const slack = policy.coverageSlackMs;
  const covered = spans(merged, atMs, slack);
  const v: Verdict = inside.length > 0 ? 'exit' : nearby.length > 0 ? 'near' : covered ? 'not_exit' : 'unknown';

  const relevant = records.filter((r) => shown.some((iv) => iv.kind === r.kind && r.validToMs >= iv.fromMs && r.validFromMs <= iv.toMs));
  relevant.sort((x, y) => Math.abs(x.observedAtMs - atMs) - Math.abs(y.observedAtMs - atMs) || x.fingerprint.localeCompare(y.fingerprint));
  const strengths = new Set(shown.map((iv) => KIND_STRENGTH[iv.kind]));
  const evidence: VerdictEvidence = {
    strength: STRENGTH_ORDER.find((s) => strengths.has(s)) ?? null,
    intervals: shown.slice(0, MAX_INTERVALS).map((iv) => evidenceInterval(iv, atMs)),
    observations: relevant.slice(0, MAX_OBSERVATIONS).map(evidenceObservation),
    observationsTotal: relevant.length,
    seen: nearestSeen(records, atMs),
    relays: [...new Set(relevant.map((r) => r.fingerprint).filter((f) => f !== ''))].sort(),
    kinds: [...new Set(shown.map((iv) => iv.kind))].sort(),
    coverage: {
      family,
      required: [iso(atMs - slack), iso(atMs + slack)],
      covered,
      atT: spans(merged, atMs, 0),
      missing: covered ? [] : uncovered(merged, atMs - slack, atMs + slack).map(([f, t]) => [iso(f), iso(t)] as [string, string]),
      history: merged.length > 0 ? [iso(merged[0]!.fromMs), iso(merged[merged.length - 1]!.toMs)] : null,
    },
    policy: policySummary(policy),
  };
  return { ip, at: iso(atMs), verdict: v, summary: verdictSummary(ip, iso(atMs), v, evidence), evidence };
}

function evidenceInterval(iv: KindInterval, t: number): EvidenceInterval {
  const relation = t < iv.fromMs ? 'after' : t > iv.toMs ? 'before' : 'contains';
  return { kind: iv.kind, strength: KIND_STRENGTH[iv.kind], from: iso(iv.fromMs), to: iso(iv.toMs), observations: iv.count, relation, distanceMinutes: Math.round(distanceTo(iv, t) / 60_000) };
}

function evidenceObservation(r: ObservationRecord): EvidenceObservation {
  const o: EvidenceObservation = { kind: r.kind, source: r.source, fingerprint: r.fingerprint, observedAt: iso(r.observedAtMs), validFrom: iso(r.validFromMs), validTo: iso(r.validToMs) };
  if (r.badExit) o.badExit = true;
  return o;
}

function nearestSeen(records: readonly ObservationRecord[], t: number): VerdictEvidence['seen'] {
  let before: ObservationRecord | null = null;
  let after: ObservationRecord | null = null;
  for (const r of records) {
    if (r.observedAtMs <= t && (!before || r.observedAtMs > before.observedAtMs)) before = r;
    if (r.observedAtMs >= t && (!after || r.observedAtMs < after.observedAtMs)) after = r;
  }
  return { lastBefore: before && evidenceObservation(before), firstAfter: after && evidenceObservation(after) };
}
