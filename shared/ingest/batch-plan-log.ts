/** Records and reads the offset ranges of Kafka batches (see migration 003) so replays form identical batches. */
import type { ClickHouseStore } from '../store/store.js';
import { tsvDateTime64, tsvEscape } from './tsv.js';

export interface BatchPlan {
  first: bigint;
  last: bigint;
}

export interface BatchPlanLog {
  record(source: string, partition: number, plan: BatchPlan): Promise<void>;
  /** plans of the partition whose range ends at or after `from`, in offset order, overlaps removed */
  load(source: string, partition: number, from: bigint): Promise<BatchPlan[]>;
}

export function createBatchPlanLog(store: ClickHouseStore): BatchPlanLog {
  return {
    async record(source, partition, plan) {
      const row = `${tsvEscape(source)}\t${partition}\t${plan.first}\t${plan.last}\t${tsvDateTime64(Date.now())}\n`;
      await store.insert({ table: 'ingest_batches', columns: ['source', 'partition', 'first_offset', 'last_offset', 'planned_at'], format: 'TabSeparated', data: row, dedupToken: `plan:${source}:${partition}:${plan.first}-${plan.last}` });
    },
    async load(source, partition, from) {
      const rows = await store.query<{ f: string; l: string }>(
        'SELECT toString(first_offset) AS f, toString(min(last_offset)) AS l FROM ${DB}.ingest_batches WHERE source = {s:String} AND partition = {p:Int32} AND last_offset >= {from:Int64} GROUP BY first_offset ORDER BY first_offset',
        { params: { s: source, p: partition, from: from.toString() } },
      );
      const out: BatchPlan[] = [];
      for (const r of rows) {
        const plan = { first: BigInt(r.f), last: BigInt(r.l) };
        const prev = out[out.length - 1];
        if (prev && plan.first <= prev.last) continue; // overlapping plan: the earlier one defines the batch
        out.push(plan);
      }
      return out;
    },
  };
}
