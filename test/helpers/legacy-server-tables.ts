/**
 * The ingest tables in types the Debian ClickHouse 18.16 server supports (no IPv6, LowCardinality, DateTime64,
 * query parameters or insert_deduplication_token there): the production column names, every value as String
 * except the source positions. For runs whose subject is the HTTP sink and the retry, pause and commit logic
 * (the outage test, bench:ingest's server layout), not the schema: that is tested on the embedded engine.
 */
import { REJECT_COLUMNS, REQUEST_COLUMNS } from '../../shared/ingest/row-encoder.js';
import type { ClickHouseStore } from '../../shared/store/store.js';

const POSITION_TYPES: Record<string, string> = { source_partition: 'Int32', source_offset: 'Int64', line_index: 'UInt32' };
const columnsDdl = (cols: readonly string[]) => cols.map((c) => `${c} ${POSITION_TYPES[c] ?? 'String'}`).join(', ');

/** creates the store's database and its requests, ingest_rejects and ingest_batches tables (run as an admin) */
export async function createLegacyIngestTables(admin: ClickHouseStore): Promise<void> {
  await admin.command('CREATE DATABASE IF NOT EXISTS ${DB}');
  const key = 'ORDER BY (source_partition, source_offset, line_index)';
  await admin.command(`CREATE TABLE \${DB}.requests (${columnsDdl(REQUEST_COLUMNS)}) ENGINE = MergeTree ${key}`);
  await admin.command(`CREATE TABLE \${DB}.ingest_rejects (${columnsDdl(REJECT_COLUMNS)}) ENGINE = MergeTree ${key}`);
  await admin.command('CREATE TABLE ${DB}.ingest_batches (source String, partition Int32, first_offset Int64, last_offset Int64, planned_at String) ENGINE = MergeTree ORDER BY (source, partition, first_offset)');
}

export interface LegacyCounts {
  rows: number;
  distinctRows: number;
  rejected: Record<string, number>;
  distinctRejected: number;
}

/** rows and dead letters in those tables, with the distinct source positions of each */
export async function legacyCounts(admin: ClickHouseStore): Promise<LegacyCounts> {
  const [r] = await admin.query<{ n: string; d: string }>('SELECT count() AS n, uniqExact(source_partition, source_offset, line_index) AS d FROM ${DB}.requests');
  const rej = await admin.query<{ reason: string; n: string }>('SELECT reason, count() AS n FROM ${DB}.ingest_rejects GROUP BY reason ORDER BY reason');
  const [rd] = await admin.query<{ d: string }>('SELECT uniqExact(source_partition, source_offset, line_index) AS d FROM ${DB}.ingest_rejects');
  return { rows: Number(r!.n), distinctRows: Number(r!.d), rejected: Object.fromEntries(rej.map((x) => [x.reason, Number(x.n)])), distinctRejected: Number(rd!.d) };
}
