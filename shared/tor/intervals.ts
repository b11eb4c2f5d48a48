/**
 * Closed time intervals [fromMs, toMs] in epoch ms: joining sorted windows with a maximum gap (the membership
 * rule), exact unions, binary search over flat arrays (the ingest index), and the uncovered parts of a window.
 */
export interface Interval {
  fromMs: number;
  toMs: number;
  /** how many windows were joined into it */
  count: number;
}

/** the store keeps whole seconds: windows 1 s apart are contiguous */
export const TOUCH_MS = 1000;

/**
 * Joins windows (any order) into sorted, disjoint intervals: a window joins the current interval when
 * window.from - interval.to <= maxGapMs. maxGapMs = 0 gives the exact union (overlapping or touching windows).
 */
export function joinWindows(windows: ReadonlyArray<{ fromMs: number; toMs: number; count?: number }>, maxGapMs: number): Interval[] {
  const sorted = [...windows].sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs);
  const out: Interval[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.fromMs - last.toMs <= maxGapMs) {
      if (w.toMs > last.toMs) last.toMs = w.toMs;
      last.count += w.count ?? 1;
    } else out.push({ fromMs: w.fromMs, toMs: w.toMs, count: w.count ?? 1 });
  }
  return out;
}

/** Windows that overlap or touch within TOUCH_MS merged (coverage; the legacy store views). */
export function mergeWindows(windows: ReadonlyArray<{ fromMs: number; toMs: number; count?: number }>): Interval[] {
  return joinWindows(windows, TOUCH_MS);
}

/** Index of the interval containing t (inclusive bounds) in a flat sorted disjoint [from0, to0, from1, ...], or -1. */
export function findContaining(flat: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = (flat.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < flat[mid * 2]!) hi = mid - 1;
    else if (t > flat[mid * 2 + 1]!) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export function flatten(intervals: ReadonlyArray<{ fromMs: number; toMs: number }>): Float64Array {
  const f = new Float64Array(intervals.length * 2);
  intervals.forEach((iv, i) => {
    f[i * 2] = iv.fromMs;
    f[i * 2 + 1] = iv.toMs;
  });
  return f;
}

/** Distance from t to an interval (0 inside). */
export function distanceTo(iv: { fromMs: number; toMs: number }, t: number): number {
  return t < iv.fromMs ? iv.fromMs - t : t > iv.toMs ? t - iv.toMs : 0;
}

/** The parts of [fromMs, toMs] that no interval of `merged` (sorted, disjoint) covers. */
export function uncovered(merged: readonly Interval[], fromMs: number, toMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let cursor = fromMs;
  for (const c of merged) {
    if (c.toMs < cursor) continue;
    if (c.fromMs > toMs) break;
    if (c.fromMs > cursor) out.push([cursor, Math.min(c.fromMs, toMs)]);
    cursor = Math.max(cursor, c.toMs);
    if (cursor >= toMs) break;
  }
  if (cursor < toMs) out.push([cursor, toMs]);
  return out;
}

/** Is [t - slack, t + slack] inside one interval of `merged`? */
export function spans(merged: readonly Interval[], t: number, slack: number): boolean {
  return merged.some((c) => c.fromMs <= t - slack && t + slack <= c.toMs);
}
