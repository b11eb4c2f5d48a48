/**
 * Records and reads the offset ranges of Kafka batches (see migration 003) so replays form identical batches.
 *
 * Two plans can start at the same offset: a worker that lost its partition may have a plan record land after the new
 * owner loaded the log (the new owner then cut its own range). The old owner never writes such a batch (see
 * partition-writer.ts), so the plan to replay is the one planned last: the new owner's. Ranges are ordered by
 * `planned_at`, which a new owner's plans always exceed (they are made after the group synced, the stale one before
 * its worker rejoined), as long as the workers' clocks agree to within a rebalance.
 */
import type { ClickHouseStore } from '../store/store.js';
import { tsvDateTime64, tsvEscape } from './tsv.js';

export interface BatchPlan {
  first: bigint;
  last: bigint;
}

export interface BatchPlanLog {
  record(source: string, partition: number, plan: BatchPlan, plannedAtMs?: number): Promise<void>;
  /** plans of the partition whose range ends at or after `from`, in offset order: per first offset the one planned
   * last, then any plan overlapping the one before it removed */
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
      const all = await store.query<{ s: string; p: number | string; f: string; l: string; t: string }>(
        'SELECT source AS s, partition AS p, toString(first_offset) AS f, toString(last_offset) AS l, toString(planned_at) AS t FROM ${DB}.ingest_batches',
      );
      const byFirst = new Map<bigint, { last: bigint; t: string }>();
      for (const r of all) {
        if (r.s !== source || Number(r.p) !== partition) continue;
        const first = BigInt(r.f);
        const last = BigInt(r.l);
        const seen = byFirst.get(first);
        // as argMax(last_offset, (planned_at, last_offset)) … GROUP BY first_offset ('YYYY-MM-DD hh:mm:ss.sss' sorts as text)
        if (seen === undefined || r.t > seen.t || (r.t === seen.t && last > seen.last)) byFirst.set(first, { last, t: r.t });
      }
      return [...byFirst].filter(([, { last }]) => last >= from).map(([first, { last }]) => ({ first, last })).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    }
    const rows = await store.query<{ f: string; l: string }>(
      // the plan chosen per first offset must end at or after `from` (not any plan of that offset: a stale one may)
      `SELECT toString(first_offset) AS f, argMax(last_offset, (planned_at, last_offset)) AS chosen_last, toString(chosen_last) AS l
       FROM \${DB}.ingest_batches
       WHERE source = {s:String} AND partition = {p:Int32}
         AND first_offset IN (SELECT first_offset FROM \${DB}.ingest_batches WHERE source = {s:String} AND partition = {p:Int32} AND last_offset >= {from:Int64})
       GROUP BY first_offset HAVING chosen_last >= {from:Int64} ORDER BY first_offset`,
      { params: { s: source, p: partition, from: from.toString() } },
    );
    return rows.map((r) => ({ first: BigInt(r.f), last: BigInt(r.l) }));
  }

  return {
    async record(source, partition, plan, plannedAtMs = Date.now()) {
      const row = `${tsvEscape(source)}\t${partition}\t${plan.first}\t${plan.last}\t${tsvDateTime64(plannedAtMs)}\n`;
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
