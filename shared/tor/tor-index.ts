/**
 * The ingest-time Tor index: per canonical IP one Float64Array [n, exit intervals (n pairs), near intervals
 * (pairs)], plus the covered instants per address family ([from + slack, to - slack] of the merged coverage).
 * lookup(ip, t) is one Map get and up to three binary searches, no allocation, and gives the same verdict as
 * verdict() (a unit test checks it on a grid). Immutable: build a new one off the hot path and swap it in
 * (TorIndexHolder).
 */
import type { IpFamily } from '../net/ip.js';
import type { TorCode, TorStatusLookup } from '../pipeline/stages.js';
import { findContaining, flatten, joinWindows, type Interval } from './intervals.js';
import { coverageIntervals, exitIntervals, type TorHistory } from './tor-history.js';
import type { TorPolicy } from './tor-policy.js';

/** Codes as stored in `tor_at_ingest` (shared/pipeline/stages.ts TorCode). */
export const TOR_UNKNOWN = 0;
export const TOR_EXIT = 1;
export const TOR_NEAR = 2;
export const TOR_NOT_EXIT = 3;
export const VERDICT_NAMES = ['unknown', 'exit', 'near', 'not_exit'] as const;

export interface TorIndexInput {
  /** membership intervals per canonical IP (any kinds; they are united here) */
  exits: ReadonlyMap<string, readonly Interval[]>;
  /** coverage records; without `family` a record covers both families */
  coverage: ReadonlyArray<{ fromMs: number; toMs: number; family?: IpFamily }>;
  policy: TorPolicy;
  /** identifies the history the index was built from; must grow with every new history (stored with each row) */
  version: number;
}

export class TorIndex implements TorStatusLookup {
  private readonly byIp = new Map<string, Float64Array>();
  private readonly covered4: Float64Array;
  private readonly covered6: Float64Array;
  readonly version: number;
  /** IPs with at least one interval */
  readonly ips: number;
  readonly firstCoveredMs: number;
  readonly lastCoveredMs: number;

  static fromHistory(history: TorHistory, policy: TorPolicy, version: number = history.version): TorIndex {
    const exits = new Map<string, Interval[]>();
    for (const ip of history.ips()) exits.set(ip, exitIntervals(history.observationsOf(ip), policy));
    return new TorIndex({ exits, coverage: history.coverage, policy, version });
  }

  constructor(input: TorIndexInput) {
    this.version = input.version;
    const m = input.policy.marginMs;
    for (const [ip, ivs] of input.exits) {
      if (ivs.length === 0) continue;
      const exit = joinWindows(ivs, 0);
      const near = joinWindows(exit.map((iv) => ({ fromMs: iv.fromMs - m, toMs: iv.toMs + m })), 0);
      const packed = new Float64Array(1 + 2 * exit.length + 2 * near.length);
      packed[0] = exit.length;
      packed.set(flatten(exit), 1);
      packed.set(flatten(near), 1 + 2 * exit.length);
      this.byIp.set(ip, packed);
    }
    this.ips = this.byIp.size;
    const slack = input.policy.coverageSlackMs;
    const shrink = (family: IpFamily) => {
      const merged = coverageIntervals(input.coverage, family);
      return merged.map((c) => ({ fromMs: c.fromMs + slack, toMs: c.toMs - slack })).filter((c) => c.toMs >= c.fromMs);
    };
    const c4 = shrink(4);
    const c6 = shrink(6);
    this.covered4 = flatten(c4);
    this.covered6 = flatten(c6);
    const all = [...c4, ...c6];
    this.firstCoveredMs = all.length ? Math.min(...all.map((c) => c.fromMs)) : 0;
    this.lastCoveredMs = all.length ? Math.max(...all.map((c) => c.toMs)) : 0;
  }

  /** verdict code for a canonical IP (normalizeIp) at tsMs: 0 unknown, 1 exit, 2 near, 3 not_exit */
  lookup(ip: string, tsMs: number): TorCode {
    const p = this.byIp.get(ip);
    if (p !== undefined) {
      const n = p[0]!;
      if (search(p, 1, n, tsMs)) return TOR_EXIT;
      if (search(p, 1 + 2 * n, (p.length - 1 - 2 * n) >> 1, tsMs)) return TOR_NEAR;
    }
    const cov = ip.indexOf(':') === -1 ? this.covered4 : this.covered6;
    return findContaining(cov, tsMs) >= 0 ? TOR_NOT_EXIT : TOR_UNKNOWN;
  }

  /** TorStatusLookup (the ingest pipeline's interface): the same as lookup */
  code(ip: string, tsMs: number): TorCode {
    return this.lookup(ip, tsMs);
  }
}

/** binary search over `count` closed intervals stored as pairs from `offset` */
function search(a: Float64Array, offset: number, count: number, t: number): boolean {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = offset + 2 * mid;
    if (t < a[at]!) hi = mid - 1;
    else if (t > a[at + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
