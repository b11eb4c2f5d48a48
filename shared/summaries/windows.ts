/** Summary windows: an hour or a UTC day, [start, start + length). Pure time arithmetic, epoch ms. */
export type Grain = 'hour' | 'day';

export const GRAIN_MS: Record<Grain, number> = { hour: 3_600_000, day: 86_400_000 };

export interface Window {
  grain: Grain;
  startMs: number;
}

export const windowEnd = (w: Window): number => w.startMs + GRAIN_MS[w.grain];

export function floorToGrain(ms: number, grain: Grain): number {
  return Math.floor(ms / GRAIN_MS[grain]) * GRAIN_MS[grain];
}

/** the newest window that has ended at `nowMs` (end <= now), or null before the epoch */
export function lastCompleteWindowStart(nowMs: number, grain: Grain): number {
  return floorToGrain(nowMs, grain) - GRAIN_MS[grain];
}

/** windows of `grain` whose start lies in [fromMs, toMs) after flooring fromMs; oldest first */
export function windowsBetween(grain: Grain, fromMs: number, toMs: number, limit = Infinity): Window[] {
  const out: Window[] = [];
  for (let s = floorToGrain(fromMs, grain); s < toMs && out.length < limit; s += GRAIN_MS[grain]) out.push({ grain, startMs: s });
  return out;
}

/** "2023-06-03 07:00:00": a ClickHouse DateTime parameter in UTC */
export function chDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function isoWindow(w: Window): string {
  return new Date(w.startMs).toISOString().replace('.000Z', 'Z');
}
