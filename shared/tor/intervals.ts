/**
 * Merging time windows: windows of one IP that overlap or touch (within 1 s, the store's resolution) become one
 * interval. The SQL twin is the gaps-and-islands view `tor_exit_intervals` (migration 005).
 */
export interface Interval {
  fromMs: number;
  toMs: number;
  /** how many observation windows were merged into it */
  count: number;
}

export const TOUCH_MS = 1000;

/** windows need not be sorted; the result is sorted and non-overlapping */
export function mergeWindows(windows: ReadonlyArray<{ fromMs: number; toMs: number; count?: number }>): Interval[] {
  const sorted = [...windows].sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs);
  const out: Interval[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.fromMs <= last.toMs + TOUCH_MS) {
      if (w.toMs > last.toMs) last.toMs = w.toMs;
      last.count += w.count ?? 1;
    } else out.push({ fromMs: w.fromMs, toMs: w.toMs, count: w.count ?? 1 });
  }
  return out;
}

/** index of the interval containing t (inclusive bounds), or -1; intervals sorted and disjoint */
export function findContaining(intervals: ArrayLike<number>, t: number): number {
  // flat [from0, to0, from1, to1, ...]
  let lo = 0;
  let hi = intervals.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const from = intervals[mid * 2]!;
    if (t < from) hi = mid - 1;
    else if (t > intervals[mid * 2 + 1]!) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export function flatten(intervals: readonly Interval[]): Float64Array {
  const f = new Float64Array(intervals.length * 2);
  intervals.forEach((iv, i) => {
    f[i * 2] = iv.fromMs;
    f[i * 2 + 1] = iv.toMs;
  });
  return f;
}
