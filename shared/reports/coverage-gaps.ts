/** Which parts of a day lack Tor coverage for `not_exit` (T ± slack must lie inside merged coverage), and why. */
import type { TorStatus } from '../tor-store/tor-status.js';

export interface Uncovered {
  from: string;
  to: string;
  reason: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** coverage intervals (merged) rebuilt from the status (from, gaps, to), each shrunk by the slack */
export function effectiveCoverage(cov: TorStatus['coverage'], slackMs: number): Array<[number, number]> {
  if (!cov.from || !cov.to) return [];
  const edges = [Date.parse(cov.from), ...cov.gaps.flatMap(([a, b]) => [Date.parse(a), Date.parse(b)]), Date.parse(cov.to)];
  const out: Array<[number, number]> = [];
  for (let i = 0; i < edges.length; i += 2) {
    const f = edges[i]! + slackMs;
    const t = edges[i + 1]! - slackMs;
    if (t >= f) out.push([f, t]);
  }
  return out;
}

export function uncoveredParts(cov: TorStatus['coverage'], slackMs: number, fromMs: number, toMs: number): Uncovered[] {
  const eff = effectiveCoverage(cov, slackMs);
  const out: Uncovered[] = [];
  const slackMin = Math.round(slackMs / 60_000);
  let cursor = fromMs;
  const push = (a: number, b: number) => {
    if (b <= a) return;
    const why =
      eff.length === 0
        ? 'no Tor history imported'
        : b <= eff[0]![0]
          ? `before the Tor history (coverage starts ${cov.from}; not_exit needs coverage of T ± ${slackMin} min)`
          : a >= eff[eff.length - 1]![1]
            ? `after the Tor history (coverage ends ${cov.to}; not_exit needs coverage of T ± ${slackMin} min)`
            : `gap in the Tor history (a missing list or sync; not_exit needs coverage of T ± ${slackMin} min)`;
    out.push({ from: iso(a), to: iso(b), reason: why });
  };
  for (const [f, t] of eff) {
    if (t < fromMs || f >= toMs) continue;
    push(cursor, Math.min(f, toMs));
    cursor = Math.max(cursor, t);
  }
  push(cursor, toMs);
  return out;
}
