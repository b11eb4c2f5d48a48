/**
 * The verdict policy: how long each kind of observation vouches for an IP, when observations of one IP join into
 * an interval, how much of the timeline a document covers, and the verdict windows. Defaults and the reasons for
 * them are in docs/tor-verdicts.md; every value is configurable. All values are milliseconds.
 */
import type { ObservationKind } from './tor-document.js';

export interface TorPolicy {
  /** `near`: T lies within this distance of an observed interval (and not inside one) */
  marginMs: number;
  /** `not_exit` needs coverage of the whole window [T - coverageSlackMs, T + coverageSlackMs] (default = margin) */
  coverageSlackMs: number;
  /** observations of one IP and kind join into one interval when the gap between them is at most this */
  maxGapMs: Record<ObservationKind, number>;
  /** an ExitAddress scan at S vouches for [S, min(LastStatus, S + scanReachMs)] */
  scanReachMs: number;
  /** a TorDNSEL list downloaded at D covers [D - exitListCoverageMs, D] */
  exitListCoverageMs: number;
  /** a bulk snapshot taken at S covers [S - bulkHalfWindowMs, S + bulkHalfWindowMs] */
  bulkHalfWindowMs: number;
  /** a consensus without fresh-until vouches for [valid-after, valid-after + consensusWindowMs] */
  consensusWindowMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

export const DEFAULT_TOR_POLICY: Readonly<TorPolicy> = Object.freeze({
  // ExoneraTor answers "on or within a day of" the date: a relay seen within a day of T is a warning, not a "no"
  marginMs: 24 * HOUR,
  // the design: `not_exit` only when history covers T ± margin (ExoneraTor: no data on D-1, D or D+1 → no answer)
  coverageSlackMs: 24 * HOUR,
  maxGapMs: Object.freeze({
    // LastStatus advances with the hourly consensus; more than 1.5 h without it means the relay was gone
    exit_scan: 90 * MIN,
    // Onionoo is refreshed hourly; last_seen points of consecutive documents are 1 h apart
    onionoo_exit: 90 * MIN,
    // snapshots are (about) hourly: 1.5 cadences joins neighbours and never bridges a snapshot that left the IP out
    bulk_snapshot: 90 * MIN,
    // spans [valid-after, fresh-until] of consecutive consensuses touch: a missing or silent hour breaks
    consensus_exit_or: 30 * MIN,
    onionoo_exit_or: 90 * MIN,
  }) as Record<ObservationKind, number>,
  // ExoneraTor counts a scan only for consensuses within 24 h after it
  scanReachMs: 24 * HOUR,
  // lists keep scans for 24 h (oldest scan in the 2018 fixtures: 23 h 57 min) and relays are rescanned after each
  // new descriptor (at most every 18 h): an exit active within the last 24 - 18 = 6 h is in the list
  exitListCoverageMs: 6 * HOUR,
  // hourly snapshots: neighbours' windows overlap by 30 min, one missing snapshot leaves a 30 min hole
  bulkHalfWindowMs: 45 * MIN,
  consensusWindowMs: HOUR,
});

/** A policy with some values replaced (maxGapMs merged per kind). */
export function torPolicy(overrides: Partial<Omit<TorPolicy, 'maxGapMs'>> & { maxGapMs?: Partial<Record<ObservationKind, number>> } = {}, base: TorPolicy = DEFAULT_TOR_POLICY): TorPolicy {
  return { ...base, ...overrides, maxGapMs: { ...base.maxGapMs, ...overrides.maxGapMs } };
}

export function policyWithMargin(marginMinutes: number, base: TorPolicy = DEFAULT_TOR_POLICY): TorPolicy {
  return torPolicy({ marginMs: marginMinutes * MIN, coverageSlackMs: marginMinutes * MIN }, base);
}

/** The policy in whole minutes, for evidence and logs. */
export function policySummary(p: TorPolicy): Record<string, number | Record<string, number>> {
  const m = (ms: number) => ms / MIN;
  const gaps: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.maxGapMs)) gaps[k] = m(v);
  return {
    marginMinutes: m(p.marginMs),
    coverageSlackMinutes: m(p.coverageSlackMs),
    maxGapMinutes: gaps,
    scanReachMinutes: m(p.scanReachMs),
    exitListCoverageMinutes: m(p.exitListCoverageMs),
    bulkHalfWindowMinutes: m(p.bulkHalfWindowMs),
  };
}
