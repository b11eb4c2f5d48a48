/**
 * The ClickHouse layer: one interface, two backends (embedded chDB and a ClickHouse server over HTTP), the same SQL.
 * SQL text names tables as `${DB}.table`; the store substitutes the configured database (a validated identifier).
 * Values always travel as query parameters (`{name:Type}`), never spliced into SQL.
 */
export type InsertFormat = 'TabSeparated' | 'JSONCompactEachRow' | 'JSONEachRow';

export interface QueryOptions {
  /** values for `{name:Type}` placeholders */
  params?: Record<string, unknown>;
  /** run in a read-only session (embedded) / with readonly=2 (server): writes and DDL are refused */
  readonly?: boolean;
  /** extra ClickHouse settings for this query */
  settings?: Record<string, string | number>;
}

export interface InsertOptions {
  /** table name without database */
  table: string;
  columns: readonly string[];
  format: InsertFormat;
  data: string | Buffer;
  /** insert_deduplication_token: a retry with the same token is a no-op (tables set a dedup window) */
  dedupToken?: string;
  settings?: Record<string, string | number>;
}

export interface StoreCapabilities {
  /** server supports insert_deduplication_token (ClickHouse >= 21.x); the Debian 18.16 server does not */
  dedupToken: boolean;
  /** server knows the async_insert setting */
  asyncInsertSetting: boolean;
}

export interface StoreHealth {
  ok: boolean;
  mode: 'embedded' | 'server';
  version: string;
  detail?: string;
}

export interface ClickHouseStore {
  readonly mode: 'embedded' | 'server';
  readonly database: string;
  /** rows of a SELECT as objects (JSONEachRow) */
  query<T = Record<string, unknown>>(sql: string, opts?: QueryOptions): Promise<T[]>;
  /** raw result text in any ClickHouse output format (for `torlogs sql`) */
  queryText(sql: string, format: string, opts?: QueryOptions): Promise<string>;
  /** DDL or a statement without result */
  command(sql: string, opts?: QueryOptions): Promise<void>;
  insert(opts: InsertOptions): Promise<void>;
  capabilities(): Promise<StoreCapabilities>;
  healthcheck(): Promise<StoreHealth>;
  close(): Promise<void>;
}

const DB_TOKEN = /\$\{DB\}/g;
const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string, what = 'database'): string {
  if (!IDENT.test(name)) throw new Error(`${what} name ${JSON.stringify(name)} is not a lower-case identifier`);
  return name;
}

export function bindDatabase(sql: string, database: string): string {
  return sql.replace(DB_TOKEN, database);
}

/** Parses "25.8.1.5" → [25, 8]. */
export function versionAtLeast(version: string, major: number, minor = 0): boolean {
  const [a = 0, b = 0] = version.split('.').map((x) => parseInt(x, 10));
  return a > major || (a === major && b >= minor);
}
