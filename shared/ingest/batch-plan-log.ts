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

interface PlanRow {
  first: bigint;
  last: bigint;
}

export function createBatchPlanLog(store: ClickHouseStore): BatchPlanLog {
  /**
   * Servers without insert_deduplication_token (ClickHouse < 22.2, such as the Debian 18.16 server the outage test
   * runs against) also predate `{name:Type}` query parameters (19.x), and values are never spliced into SQL. On
   * them the plans are read with a parameter-free query of the whole table and filtered here. That costs a scan of
   * the plan log (30-day TTL) per partition assignment, which is acceptable there: such servers are a test and
   * transition target, not the production one (production servers take the parameterised query below). Keeping the
   * plan log in another place (a local file, Kafka) was rejected: it would be a second source of truth that a
   * worker on another host cannot see, whereas this keeps record → replay the same code on every backend.
   */
  let legacy: Promise<boolean> | null = null;
  const withoutParams = (): Promise<boolean> =>
    (legacy ??= store.capabilities().then(
      (c) => !c.dedupToken,
      (err: unknown) => {
        legacy = null;
        throw err;
      },
    ));

  async function rowsOf(source: string, partition: number, from: bigint): Promise<PlanRow[]> {
    if (await withoutParams()) {
      const all = await store.query<{ s: string; p: number | string; f: string; l: string }>(
        'SELECT source AS s, partition AS p, toString(first_offset) AS f, toString(last_offset) AS l FROM ${DB}.ingest_batches',
      );
      const byFirst = new Map<bigint, bigint>();
      for (const r of all) {
        if (r.s !== source || Number(r.p) !== partition) continue;
        const first = BigInt(r.f);
        const last = BigInt(r.l);
        if (last < from) continue;
        const seen = byFirst.get(first);
        if (seen === undefined || last < seen) byFirst.set(first, last); // as min(last_offset) … GROUP BY first_offset
      }
      return [...byFirst].map(([first, last]) => ({ first, last })).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    }
    const rows = await store.query<{ f: string; l: string }>(
      'SELECT toString(first_offset) AS f, toString(min(last_offset)) AS l FROM ${DB}.ingest_batches WHERE source = {s:String} AND partition = {p:Int32} AND last_offset >= {from:Int64} GROUP BY first_offset ORDER BY first_offset',
      { params: { s: source, p: partition, from: from.toString() } },
    );
    return rows.map((r) => ({ first: BigInt(r.f), last: BigInt(r.l) }));
  }

  return {
    async record(source, partition, plan) {
      const row = `${tsvEscape(source)}\t${partition}\t${plan.first}\t${plan.last}\t${tsvDateTime64(Date.now())}\n`;
      await store.insert({ table: 'ingest_batches', columns: ['source', 'partition', 'first_offset', 'last_offset', 'planned_at'], format: 'TabSeparated', data: row, dedupToken: `plan:${source}:${partition}:${plan.first}-${plan.last}` });
    },
    async load(source, partition, from) {
      const out: BatchPlan[] = [];
      for (const plan of await rowsOf(source, partition, from)) {
        const prev = out[out.length - 1];
        if (prev && plan.first <= prev.last) continue; // overlapping plan: the earlier one defines the batch
        out.push(plan);
      }
      return out;
    },
  };
}
