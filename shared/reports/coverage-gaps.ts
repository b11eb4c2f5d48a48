/** Which parts of a day lack Tor coverage for `not_exit` (T ± slack must lie inside merged coverage), and why. */
import type { CoverageStatus } from '../tor-store/tor-status.js';

export interface Uncovered {
  from: string;
  to: string;
  reason: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** coverage intervals (merged) rebuilt from the status (from, gaps, to), each shrunk by the slack */
export function effectiveCoverage(cov: CoverageStatus, slackMs: number): Array<[number, number]> {
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

export function uncoveredParts(cov: CoverageStatus, slackMs: number, fromMs: number, toMs: number): Uncovered[] {
  const eff = effectiveCoverage(cov, slackMs);
  const out: Uncovered[] = [];
  const slackMin = Math.round(slackMs / 60_000);
  let cursor = fromMs;
  const gaps = cov.gaps.map(([g0, g1]) => [Date.parse(g0), Date.parse(g1)] as const);
  const push = (a: number, b: number) => {
    if (b <= a) return;
    const near = gaps.filter(([g0, g1]) => g0 <= b + slackMs && g1 >= a - slackMs);
    const why =
      !cov.from || !cov.to
        ? 'no Tor history imported'
        : near.length > 0
          ? `gap in the Tor history within ± ${slackMin} min (${near.map(([g0, g1]) => `${iso(g0)} – ${iso(g1)}`).join(', ')}: a missing list or sync)`
          : a - slackMs < Date.parse(cov.from)
            ? `the Tor history starts ${cov.from}, less than ${slackMin} min before these times`
            : `the Tor history ends ${cov.to}, less than ${slackMin} min after these times`;
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
