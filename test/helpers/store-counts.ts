/** Exact accounting of what an ingest run stored: rows, distinct source positions, dead letters per reason. */
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import type { ClickHouseStore } from '../../shared/store/store.js';

export interface StoreCounts {
  rows: number;
  distinctRows: number;
  rejected: Record<string, number>;
  distinctRejected: number;
}

export async function storeCounts(store: ClickHouseStore, source: string): Promise<StoreCounts> {
  const r = await store.query<{ n: string; d: string }>('SELECT count() AS n, uniqExact(source_partition, source_offset, line_index) AS d FROM ${DB}.requests WHERE source = {s:String}', { params: { s: source } });
  const rej = await store.query<{ reason: string; n: string }>('SELECT reason, count() AS n FROM ${DB}.ingest_rejects WHERE source = {s:String} GROUP BY reason ORDER BY reason', { params: { s: source } });
  const rd = await store.query<{ d: string }>('SELECT uniqExact(source_partition, source_offset, line_index) AS d FROM ${DB}.ingest_rejects WHERE source = {s:String}', { params: { s: source } });
  return { rows: Number(r[0]!.n), distinctRows: Number(r[0]!.d), rejected: Object.fromEntries(rej.map((x) => [x.reason, Number(x.n)])), distinctRejected: Number(rd[0]!.d) };
}

export async function embeddedCounts(dataDir: string, source: string): Promise<StoreCounts> {
  const s = openEmbeddedStore({ dataDir, database: 'torlogs' });
  try {
    return await storeCounts(s, source);
  } finally {
    await s.close();
  }
}
