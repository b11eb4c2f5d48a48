/**
 * verdict(ip, time) with evidence, from a slice of the history around the time (observations of the IP and the
 * coverage of exit-measuring sources). The rules (docs/tor-verdicts.md), in order:
 *   exit      T lies inside a merged observation interval of the IP
 *   near      T lies within the margin of one (but not inside)
 *   not_exit  exit-list coverage spans [T - slack, T + slack] and nothing above holds
 *   unknown   otherwise: no Tor data covers T. Never reported as "not Tor".
 * The SQL twin is `${DB}_tor_verdict(ip, t)` (migration 005); a test checks both agree.
 */
import { mergeWindows, type Interval } from './intervals.js';
import type { ObservationKind } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';

export type Verdict = 'exit' | 'near' | 'not_exit' | 'unknown';

export interface ObservationRecord {
  kind: ObservationKind;
  source: string;
  fingerprint: string;
  observedAtMs: number;
  validFromMs: number;
  validToMs: number;
}

export interface HistorySlice {
  /** observations of this IP (any time; those near T matter) */
  observations: readonly ObservationRecord[];
  /** coverage windows of exit-measuring sources (exit lists, bulk snapshots) */
  coverage: ReadonlyArray<{ fromMs: number; toMs: number; source?: string }>;
  /** first and last instant any source covers, for the wording of `unknown` */
  historyFromMs: number;
  historyToMs: number;
}

export interface VerdictEvidence {
  interval: { from: string; to: string; observations: number } | null;
  nearest: { from: string; to: string; distanceMinutes: number; direction: 'before' | 'after' } | null;
  observations: Array<{ kind: string; source: string; fingerprint: string; observedAt: string; validFrom: string; validTo: string }>;
  relays: string[];
  kinds: string[];
  coverage: { covered: boolean; window: [string, string]; gap: [string | null, string | null] | null; history: [string, string] | null };
  policy: { marginMinutes: number; coverageSlackMinutes: number };
}

export interface VerdictResult {
  ip: string;
  at: string;
  verdict: Verdict;
  summary: string;
  evidence: VerdictEvidence;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const MAX_EVIDENCE = 50;

export function verdict(ip: string, atMs: number, slice: HistorySlice, policy: TorPolicy): VerdictResult {
  const intervals = mergeWindows(slice.observations.map((o) => ({ fromMs: o.validFromMs, toMs: o.validToMs })));
  const inside = intervals.find((iv) => iv.fromMs <= atMs && atMs <= iv.toMs) ?? null;
  const nearest = inside ? null : nearestInterval(intervals, atMs);
  const isNear = nearest !== null && nearest.distance <= policy.marginMs;
  const slack = policy.coverageSlackMs;
  const cov = mergeWindows(slice.coverage);
  const covered = cov.some((c) => c.fromMs <= atMs - slack && atMs + slack <= c.toMs);
  const gap = covered ? null : coverageGap(cov, atMs);
  const shown = inside ?? (isNear ? nearest!.iv : null);
  const relevant = shown ? slice.observations.filter((o) => o.validToMs >= shown.fromMs && o.validFromMs <= shown.toMs) : [];
  relevant.sort((a, b) => Math.abs(a.observedAtMs - atMs) - Math.abs(b.observedAtMs - atMs));
  const evidence: VerdictEvidence = {
    interval: inside ? { from: iso(inside.fromMs), to: iso(inside.toMs), observations: inside.count } : null,
    nearest: nearest ? { from: iso(nearest.iv.fromMs), to: iso(nearest.iv.toMs), distanceMinutes: Math.round(nearest.distance / 60_000), direction: nearest.iv.fromMs > atMs ? 'after' : 'before' } : null,
    observations: relevant.slice(0, MAX_EVIDENCE).map((o) => ({ kind: o.kind, source: o.source, fingerprint: o.fingerprint, observedAt: iso(o.observedAtMs), validFrom: iso(o.validFromMs), validTo: iso(o.validToMs) })),
    relays: [...new Set(relevant.map((o) => o.fingerprint).filter((f) => f !== ''))].sort(),
    kinds: [...new Set(relevant.map((o) => o.kind))].sort(),
    coverage: {
      covered,
      window: [iso(atMs - slack), iso(atMs + slack)],
      gap: gap ? [Number.isFinite(gap[0]) ? iso(gap[0]) : null, Number.isFinite(gap[1]) ? iso(gap[1]) : null] : null,
      history: slice.historyToMs > 0 ? [iso(slice.historyFromMs), iso(slice.historyToMs)] : null,
    },
    policy: { marginMinutes: policy.marginMs / 60_000, coverageSlackMinutes: slack / 60_000 },
  };
  const v: Verdict = inside ? 'exit' : isNear ? 'near' : covered ? 'not_exit' : 'unknown';
  return { ip, at: iso(atMs), verdict: v, summary: summarize(ip, atMs, v, evidence), evidence };
}

function nearestInterval(intervals: Interval[], t: number): { iv: Interval; distance: number } | null {
  let best: { iv: Interval; distance: number } | null = null;
  for (const iv of intervals) {
    const d = t < iv.fromMs ? iv.fromMs - t : t - iv.toMs;
    if (!best || d < best.distance) best = { iv, distance: d };
  }
  return best;
}

/** the uncovered stretch around T: [end of coverage before T, start of coverage after T] */
function coverageGap(cov: Interval[], t: number): [number, number] {
  let before = -Infinity;
  let after = Infinity;
  for (const c of cov) {
    if (c.toMs < t + 1 && c.toMs > before) before = c.toMs;
    if (c.fromMs > t - 1 && c.fromMs < after) after = c.fromMs;
  }
  return [before, after];
}

function summarize(ip: string, t: number, v: Verdict, e: VerdictEvidence): string {
  const at = iso(t);
  const kinds = e.kinds.join(', ');
  switch (v) {
    case 'exit':
      return `${ip} was a Tor exit at ${at}: inside the observed exit interval ${e.interval!.from} – ${e.interval!.to} (${e.interval!.observations} observations: ${kinds}${e.relays.length ? `; relays ${e.relays.join(', ')}` : ''}). Traffic from this IP at that time came through the Tor network: the IP's operator relayed it and is not its origin.`;
    case 'near':
      return `${ip} was not observed as a Tor exit at ${at}, but it was ${e.nearest!.distanceMinutes} minutes ${e.nearest!.direction === 'after' ? 'later' : 'earlier'} (${e.nearest!.from} – ${e.nearest!.to}; ${kinds}). Exit lists lag new relays and rescan about daily, so Tor traffic at ${at} is possible but not shown.`;
    case 'not_exit':
      return `${ip} was not a Tor exit at ${at}: exit-list data covers ${e.coverage.window[0]} – ${e.coverage.window[1]} and no observation of this IP lies within ${e.policy.marginMinutes} minutes of ${at}.`;
    case 'unknown': {
      const g = e.coverage.gap;
      const where = !e.coverage.history
        ? 'there is no Tor exit history at all'
        : g && g[0] !== null && g[1] !== null
          ? `exit-list data has a gap from ${g[0]} to ${g[1]}, or does not span ${e.coverage.window[0]} – ${e.coverage.window[1]}`
          : `exit-list data covers only ${e.coverage.history[0]} – ${e.coverage.history[1]}`;
      return `Unknown: no Tor data covers ${at} (${where}), so torlogs cannot say whether ${ip} was a Tor exit then. This is not a "no".`;
    }
  }
}
