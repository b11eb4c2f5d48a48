/**
 * Least-privilege roles for a ClickHouse server with SQL access management (>= 20.5): what each torlogs component
 * may do, and nothing else. None of them may change the schema (only the admin user running `torlogs migrate`).
 *   torlogs_ingest_role    read the database; INSERT only into the tables ingest, Tor sync and summaries write;
 *                          reload the verdict dictionaries (a global privilege, ON *.*)
 *   torlogs_analyst_role   SELECT on the data tables and views (not api_keys), dictGet; readonly=1, limits, quota
 *   torlogs_api_role       SELECT on what the API reads (including api_keys), dictGet; readonly=2 with bounded limits
 * Older servers (the Debian 18.16 one) have no SQL users: deploy/clickhouse/users.d profiles do the same with
 * readonly profiles. The exact grants are documented in docs/analyst-guide.md.
 */
import { TorlogsError } from '../core/errors.js';
import { assertIdentifier, versionAtLeast, type ClickHouseStore } from '../store/store.js';

export const INGEST_WRITES = ['requests', 'ingest_rejects', 'ingest_batches', 'tor_observations', 'tor_coverage', 'tor_imports', 'tor_sync_runs', 'tor_policy', 'summary_rollups', 'summary_windows', 'summary_arrivals'];
export const ANALYST_READS = [
  'requests', 'requests_tor', 'tor_hits', 'ip_requests', 'tor_observations', 'tor_coverage', 'tor_imports', 'tor_sync_runs', 'tor_policy',
  'tor_exit_intervals', 'tor_near_intervals', 'tor_covered_intervals', 'ingest_rejects', 'summary_rollups', 'summary_windows',
];
export const API_READS = [...ANALYST_READS, 'api_keys', 'schema_migrations'];

const on = (db: string, tables: readonly string[]) => tables.map((t) => `${db}.${t}`);

export function accessControlStatements(database: string): string[] {
  const db = assertIdentifier(database);
  return [
    'CREATE ROLE IF NOT EXISTS torlogs_ingest_role',
    `GRANT SELECT, dictGet ON ${db}.* TO torlogs_ingest_role`,
    ...on(db, INGEST_WRITES).map((t) => `GRANT INSERT ON ${t} TO torlogs_ingest_role`),
    'GRANT SYSTEM RELOAD DICTIONARY ON *.* TO torlogs_ingest_role',

    'CREATE ROLE IF NOT EXISTS torlogs_analyst_role',
    ...on(db, ANALYST_READS).map((t) => `GRANT SELECT ON ${t} TO torlogs_analyst_role`),
    `GRANT dictGet ON ${db}.* TO torlogs_analyst_role`,
    'CREATE SETTINGS PROFILE IF NOT EXISTS torlogs_analyst_profile SETTINGS readonly = 1, max_execution_time = 60, max_memory_usage = 4000000000, max_result_rows = 1000000, result_overflow_mode = \'throw\' TO torlogs_analyst_role',
    'CREATE QUOTA IF NOT EXISTS torlogs_analyst_quota FOR INTERVAL 1 hour MAX queries = 2000, execution_time = 3600, read_rows = 20000000000 TO torlogs_analyst_role',

    'CREATE ROLE IF NOT EXISTS torlogs_api_role',
    ...on(db, API_READS).map((t) => `GRANT SELECT ON ${t} TO torlogs_api_role`),
    `GRANT dictGet ON ${db}.* TO torlogs_api_role`,
    'CREATE SETTINGS PROFILE IF NOT EXISTS torlogs_api_profile SETTINGS readonly = 2, max_execution_time = 60 MAX 600, max_memory_usage = 4000000000 MAX 8000000000, max_result_rows = 1000000 MAX 10000000 TO torlogs_api_role',
  ];
}

/** runs the statements on a server that supports them; the number run */
export async function applyAccessControl(store: ClickHouseStore): Promise<number> {
  if (store.mode !== 'server') throw new TorlogsError('usage_invalid', 'the embedded store has no users or roles: its read-only sessions are the enforcement point');
  const v = (await store.query<{ v: string }>('SELECT version() AS v'))[0]?.v ?? '0';
  if (!versionAtLeast(v, 20, 5)) {
    throw new TorlogsError('usage_invalid', `ClickHouse ${v} has no SQL access management (roles came in 20.5): use the readonly profiles of deploy/clickhouse/users.d (docs/analyst-guide.md)`);
  }
  const sql = accessControlStatements(store.database);
  for (const s of sql) await store.command(s);
  return sql.length;
}
