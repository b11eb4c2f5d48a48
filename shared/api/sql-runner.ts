/**
 * Runs one analyst query: guard (sql-guard.ts), then a read-only session with row and time limits. Used by
 * `torlogs sql` (directly, or through the API when a `torlogs serve` process owns the embedded store) and by
 * POST /v1/sql.
 */
import type { ClickHouseStore } from '../store/store.js';
import { assertReadOnlySql, type SqlFormat } from './sql-guard.js';

export interface SqlLimits {
  maxRows: number;
  timeoutSeconds: number;
}

export async function runAnalystSql(store: ClickHouseStore, sql: string, format: SqlFormat, limits: SqlLimits): Promise<string> {
  const text = assertReadOnlySql(sql);
  if (store.mode === 'embedded') {
    return store.queryText(text, format, { readonly: true, settings: { max_result_rows: limits.maxRows, result_overflow_mode: 'throw', max_execution_time: limits.timeoutSeconds } });
  }
  // server: readonly=1 for a user that could write; the analyst user's profile sets the limits. A user whose profile
  // is already read-only may refuse any change of `readonly` (readonly=2 profiles do): then it is read-only anyway.
  try {
    return await store.queryText(text, format, { settings: { readonly: 1 } });
  } catch (err) {
    if (!/Cannot (modify|override) .{0,12}readonly/i.test((err as Error).message)) throw err;
    return store.queryText(text, format);
  }
}
