/**
 * verdict() for many items of the same IPs, without re-deriving each IP's whole history per item. An IP's membership
 * intervals are computed once; for an item at T, verdict() then sees only the observations that can appear in its
 * answer: those of the intervals within the margin of T (whole intervals, so they re-join identically) and those with
 * the nearest observation time before and after T (evidence.seen). The answer is the same as over all observations
 * (test/unit/checks/batch-verdicts.test.ts compares them on the real fixture history):
 *  - an interval within the margin keeps all its members, and no left-out observation of its kind lies within the
 *    kind's join gap of it (it would be a member), so it is rebuilt exactly;
 *  - an interval beyond the margin cannot come closer by dropping members, so added singletons stay beyond it;
 *  - the kept observations keep their order, so sorting and "first nearest" pick the same ones.
 */
import { distanceTo } from '../tor/intervals.js';
import { exitIntervals, type KindInterval, type ObservationRecord, type TorHistoryView } from '../tor/tor-history.js';
import type { TorPolicy } from '../tor/tor-policy.js';
import { verdict, type VerdictResult } from '../tor/verdict.js';

/** below this many observations an IP is passed through whole */
const SMALL = 16;

export function createBatchVerdicts(history: TorHistoryView, policy: TorPolicy): (ip: string, atMs: number) => VerdictResult {
  const intervalsOf = new Map<string, KindInterval[]>();
  let ip = '';
  let subset: readonly ObservationRecord[] = [];
  const view: TorHistoryView = {
    observationsOf: (x) => (x === ip ? subset : history.observationsOf(x)),
    coverage: history.coverage,
    coverageIntervals: history.coverageIntervals ? (f) => history.coverageIntervals!(f) : undefined,
  };
  return (canonicalIp, atMs) => {
    const records = history.observationsOf(canonicalIp);
    if (records.length <= SMALL) return verdict(history, canonicalIp, atMs, policy);
    let ivs = intervalsOf.get(canonicalIp);
    if (!ivs) intervalsOf.set(canonicalIp, (ivs = exitIntervals(records, policy)));
    const near = ivs.filter((iv) => distanceTo(iv, atMs) <= policy.marginMs);
    let before = -Infinity;
    let after = Infinity;
    for (const r of records) {
      if (r.observedAtMs <= atMs && r.observedAtMs > before) before = r.observedAtMs;
      if (r.observedAtMs >= atMs && r.observedAtMs < after) after = r.observedAtMs;
    }
    ip = canonicalIp;
    subset = records.filter((r) => r.observedAtMs === before || r.observedAtMs === after || near.some((iv) => iv.kind === r.kind && r.validToMs >= iv.fromMs && r.validFromMs <= iv.toMs));
    try {
      return verdict(view, canonicalIp, atMs, policy);
    } finally {
      ip = '';
      subset = [];
    }
  };
}
