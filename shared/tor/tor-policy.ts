/**
 * How long each kind of observation vouches for an IP, and the verdict windows. Defaults and reasons are in
 * docs/tor-verdicts.md; every value is configurable.
 */
export interface TorPolicy {
  /** a bulk snapshot at T vouches for [T - w, T + w] (hourly cadence: windows of neighbours touch) */
  bulkHalfWindowMs: number;
  /** a TorDNSEL list downloaded at D is complete for [D - w, D] (lists are fetched hourly) */
  exitListCoverageMs: number;
  /** an ExitAddress scan at S with LastStatus L vouches for [S, max(S, L) + w] (a consensus is valid for 1 h) */
  exitScanTailMs: number;
  /** a consensus entry vouches for [valid-after, valid-after + w] (fresh-until) */
  consensusWindowMs: number;
  /** Onionoo exit_addresses are "used in the past 24 hours" before relays_published */
  onionooLookbackMs: number;
  /** `near`: within this distance of an observed interval */
  marginMs: number;
  /** `not_exit` needs exit-list coverage of [T - slack, T + slack] (else `unknown`) */
  coverageSlackMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

export const DEFAULT_TOR_POLICY: TorPolicy = {
  bulkHalfWindowMs: 45 * MIN,
  exitListCoverageMs: HOUR,
  exitScanTailMs: HOUR,
  consensusWindowMs: HOUR,
  onionooLookbackMs: 24 * HOUR,
  marginMs: 24 * HOUR,
  coverageSlackMs: HOUR,
};

export function policyWithMargin(marginMinutes: number, base: TorPolicy = DEFAULT_TOR_POLICY): TorPolicy {
  return { ...base, marginMs: marginMinutes * MIN };
}
