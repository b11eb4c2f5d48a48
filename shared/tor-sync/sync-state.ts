/** Per-source sync memory kept in tor_sync_runs: validators for conditional GETs and the last applied size. */
import type { ClickHouseStore } from '../store/store.js';
import { tsvDateTime64, tsvEscape } from '../ingest/tsv.js';

export interface SourceState {
  etag: string;
  lastModified: string;
  /** entries of the last applied document (0 when none) */
  lastAppliedEntries: number;
  /** entries of a document held back because it shrank, waiting for confirmation */
  heldBackEntries: number;
  lastSuccessMs: number;
}

export interface SyncRun {
  startedAtMs: number;
  finishedAtMs: number;
  source: string;
  url: string;
  outcome: 'applied' | 'unchanged' | 'not_modified' | 'held_back' | 'rejected' | 'failed';
  httpStatus: number;
  detail: string;
  sourceId: string;
  observations: number;
  rejected: number;
  etag: string;
  lastModified: string;
}

export async function loadSourceState(store: ClickHouseStore, source: string): Promise<SourceState> {
  const rows = await store.query<{ etag: string; lm: string; applied: string; held: string; last_outcome: string; ok: string }>(
    `SELECT argMaxIf(etag, started_at, outcome IN ('applied', 'unchanged')) AS etag,
            argMaxIf(last_modified, started_at, outcome IN ('applied', 'unchanged')) AS lm,
            argMaxIf(observations, started_at, outcome IN ('applied', 'unchanged')) AS applied,
            argMax(observations, started_at) AS held,
            argMax(outcome, started_at) AS last_outcome,
            toString(toUnixTimestamp64Milli(maxIf(finished_at, outcome IN ('applied', 'unchanged', 'not_modified')))) AS ok
     FROM \${DB}.tor_sync_runs WHERE source = {s:String}`,
    { params: { s: source } },
  );
  const r = rows[0];
  return {
    etag: r?.etag ?? '',
    lastModified: r?.lm ?? '',
    lastAppliedEntries: Number(r?.applied ?? 0),
    heldBackEntries: r?.last_outcome === 'held_back' ? Number(r.held) : 0,
    lastSuccessMs: Number(r?.ok ?? 0),
  };
}

export async function recordSyncRun(store: ClickHouseStore, r: SyncRun): Promise<void> {
  const row = [tsvDateTime64(r.startedAtMs), tsvDateTime64(r.finishedAtMs), tsvEscape(r.source), tsvEscape(r.url), r.outcome, r.httpStatus, tsvEscape(r.detail.slice(0, 2000)), r.sourceId, r.observations, r.rejected, tsvEscape(r.etag), tsvEscape(r.lastModified)].join('\t');
  await store.insert({ table: 'tor_sync_runs', columns: ['started_at', 'finished_at', 'source', 'url', 'outcome', 'http_status', 'detail', 'source_id', 'observations', 'rejected', 'etag', 'last_modified'], format: 'TabSeparated', data: `${row}\n` });
}
