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
  const settings: Record<string, string | number> =
    store.mode === 'embedded'
      ? { max_result_rows: limits.maxRows, result_overflow_mode: 'throw', max_execution_time: limits.timeoutSeconds }
      : { readonly: 1 }; // server: the analyst user's profile sets the limits (a readonly=1 profile refuses other settings; readonly=1 itself is accepted)
  return store.queryText(text, format, { readonly: store.mode === 'embedded', settings });
}
