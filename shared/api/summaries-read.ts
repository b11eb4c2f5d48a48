/**
 * GET /v1/summaries/{grain}: the hourly or daily rollups in force (the newest run of each window, docs/summaries.md)
 * for one site (`*` = all sites), per dimension its biggest keys.
 */
import { z } from 'zod';
import type { ClickHouseStore } from '../store/store.js';
import { DIMENSIONS } from '../summaries/rollup-sql.js';
import { iso } from '../tor/tor-time.js';

export const summariesParamsSchema = z.strictObject({ grain: z.enum(['hour', 'day']) });
export const summariesQuerySchema = z.strictObject({
  from: z.string().max(64).describe('first window start (time with offset, or epoch)'),
  to: z.string().max(64).describe('windows starting before this (hour: at most 31 days after from, day: 366)'),
  site: z.string().max(253).optional().describe('a site, or * for all sites (default)'),
  dim: z.enum(DIMENSIONS).optional().describe('one dimension (default: all)'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('biggest keys per window and dimension (default 20)'),
});

export const MAX_SUMMARY_RANGE_MS = { hour: 31 * 86_400_000, day: 366 * 86_400_000 } as const;

export interface SummaryWindow {
  start: string;
  dims: Record<string, Array<{ key: string; requests: number; bytes: number; uniqueIps: number }>>;
}

const SQL = `SELECT toUnixTimestamp(window_start) AS ws, dim, key, requests, bytes, unique_ips
FROM \${DB}.summary_rollups
WHERE grain = {grain:String} AND window_start >= fromUnixTimestamp({f:Int64}) AND window_start < fromUnixTimestamp({t:Int64})
    AND site = {site:String} AND ({dim:String} = '' OR dim = {dim:String})
    AND (grain, window_start, run_id) IN (
        SELECT grain, window_start, argMax(run_id, started_at) FROM \${DB}.summary_windows
        WHERE grain = {grain:String} AND window_start >= fromUnixTimestamp({f:Int64}) AND window_start < fromUnixTimestamp({t:Int64})
        GROUP BY grain, window_start)
ORDER BY ws, dim, requests DESC, key
LIMIT {limit:UInt32} BY ws, dim`;

export async function readSummaries(store: ClickHouseStore, o: { grain: 'hour' | 'day'; fromMs: number; toMs: number; site: string; dim?: string; limit: number }): Promise<SummaryWindow[]> {
  const rows = await store.query<{ ws: number; dim: string; key: string; requests: string; bytes: string; unique_ips: string }>(SQL, {
    params: { grain: o.grain, f: Math.floor(o.fromMs / 1000), t: Math.ceil(o.toMs / 1000), site: o.site, dim: o.dim ?? '', limit: o.limit },
    readonly: true,
  });
  const out: SummaryWindow[] = [];
  for (const r of rows) {
    const start = iso(Number(r.ws) * 1000);
    let w = out[out.length - 1];
    if (!w || w.start !== start) out.push((w = { start, dims: {} }));
    (w.dims[r.dim] ??= []).push({ key: r.key, requests: Number(r.requests), bytes: Number(r.bytes), uniqueIps: Number(r.unique_ips) });
  }
  return out;
}
