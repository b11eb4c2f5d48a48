/**
 * The in-memory Tor index for the ingest hot path: per IP its merged exit intervals and its margin-widened
 * ("near") intervals as flat sorted Float64Arrays, plus the shrunk coverage intervals. A lookup is two map reads
 * and up to three binary searches, no allocation. Built off the hot path and swapped atomically (TorLookupHolder).
 */
import type { TorCode, TorStatusLookup } from '../pipeline/stages.js';
import { findContaining, flatten, mergeWindows, type Interval } from './intervals.js';
import type { TorPolicy } from './tor-policy.js';

export interface TorIndexInput {
  /** merged exit intervals per canonical IP */
  exits: Map<string, Interval[]>;
  /** coverage intervals of exit-measuring sources (unmerged is fine) */
  coverage: ReadonlyArray<{ fromMs: number; toMs: number }>;
  policy: TorPolicy;
  version: number;
}

export class TorIndex implements TorStatusLookup {
  private readonly exit = new Map<string, Float64Array>();
  private readonly near = new Map<string, Float64Array>();
  private readonly covered: Float64Array;
  readonly version: number;
  readonly ips: number;
  readonly firstCoveredMs: number;
  readonly lastCoveredMs: number;

  constructor(input: TorIndexInput) {
    this.version = input.version;
    const m = input.policy.marginMs;
    for (const [ip, ivs] of input.exits) {
      this.exit.set(ip, flatten(ivs));
      this.near.set(ip, flatten(mergeWindows(ivs.map((iv) => ({ fromMs: iv.fromMs - m, toMs: iv.toMs + m, count: iv.count })))));
    }
    this.ips = this.exit.size;
    const slack = input.policy.coverageSlackMs;
    const cov = mergeWindows(input.coverage)
      .map((c) => ({ fromMs: c.fromMs + slack, toMs: c.toMs - slack, count: c.count }))
      .filter((c) => c.toMs >= c.fromMs);
    this.covered = flatten(cov);
    this.firstCoveredMs = cov[0]?.fromMs ?? 0;
    this.lastCoveredMs = cov[cov.length - 1]?.toMs ?? 0;
  }

  code(ip: string, tsMs: number): TorCode {
    const e = this.exit.get(ip);
    if (e !== undefined) {
      if (findContaining(e, tsMs) >= 0) return 1;
      if (findContaining(this.near.get(ip)!, tsMs) >= 0) return 2;
    }
    return findContaining(this.covered, tsMs) >= 0 ? 3 : 0;
  }
}
