/**
 * A batch of lines from one source partition covering a contiguous offset range. Rows and dead letters are kept
 * as TabSeparated text; the raw line is kept next to each row so a row the server refuses can be dead-lettered.
 */
import type { RejectReason } from './reason-codes.js';
import { RowBuffer } from './row-buffer.js';

export interface DeadLetterRecord {
  reason: RejectReason;
  stage: string;
  field: string;
  detail: string;
  site: string;
  source: string;
  partition: number;
  offset: bigint;
  lineIndex: number;
  raw: string;
  /** the ingest_rejects TSV row */
  tsv: string;
}

export interface Batch {
  source: string;
  partition: number;
  /** inclusive planned offset range; the dedup token derives from it */
  firstOffset: bigint;
  lastOffset: bigint;
  /** the encoded `requests` rows */
  rows: RowBuffer;
  /** raw line of rows[i] and where it came from, for store_rejected dead letters (parallel arrays: no object per
   * row, which would outlive a young collection with its batch and make GC the largest cost of parse + enrich) */
  rowRaw: string[];
  /** as numbers (no object per row) unless beyond 2^53 */
  rowOffsets: Array<number | bigint>;
  rowLineIndexes: number[];
  rowSites: string[];
  rejects: DeadLetterRecord[];
  /** lines seen (rows + rejects) */
  lines: number;
  openedAtMs: number;
}

/** `rowBytes`: room to reserve for the rows (the size of the partition's previous batch), so that a full batch does
 * not grow its bytes by doubling, with up to half of them unused until it is sealed */
export function newBatch(source: string, partition: number, firstOffset: bigint, nowMs: number, rowBytes?: number): Batch {
  return { source, partition, firstOffset, lastOffset: firstOffset, rows: new RowBuffer(rowBytes), rowRaw: [], rowOffsets: [], rowLineIndexes: [], rowSites: [], rejects: [], lines: 0, openedAtMs: nowMs };
}

export function batchToken(b: Pick<Batch, 'source' | 'partition' | 'firstOffset' | 'lastOffset'>): string {
  return `${b.source}:${b.partition}:${b.firstOffset}-${b.lastOffset}`;
}

export function rejectCounts(b: Batch): Map<RejectReason, number> {
  const m = new Map<RejectReason, number>();
  for (const r of b.rejects) m.set(r.reason, (m.get(r.reason) ?? 0) + 1);
  return m;
}
