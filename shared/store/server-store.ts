/**
 * Server backend: a ClickHouse server over HTTP via @clickhouse/client. Read-only calls add `readonly=2`
 * (the server refuses writes and DDL; a least-privilege user refuses them again). Works against the Debian
 * 18.16 server for the transport path (inserts, queries, error mapping, auth, retries) and 24.x+ for everything.
 */
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { toClickHouseError } from './clickhouse-errors.js';
import { assertIdentifier, bindDatabase, versionAtLeast, type ClickHouseStore, type InsertOptions, type QueryOptions, type StoreCapabilities, type StoreHealth } from './store.js';

export interface ServerStoreOptions {
  url: string;
  username: string;
  password: string;
  database: string;
  timeoutMs: number;
}

export function openServerStore(opts: ServerStoreOptions): ClickHouseStore {
  const database = assertIdentifier(opts.database);
  // No default database on the connection: every statement names `${DB}.table`, so `torlogs migrate` can create it.
  const client: ClickHouseClient = createClient({
    url: opts.url,
    username: opts.username,
    password: opts.password,
    request_timeout: opts.timeoutMs,
    application: 'torlogs',
    compression: { request: false, response: false },
    keep_alive: { enabled: true },
  });
  let caps: Promise<StoreCapabilities> | null = null;

  const settingsFor = (o?: QueryOptions): Record<string, string | number> => ({ ...(o?.readonly ? { readonly: 2 } : {}), ...o?.settings });

  async function queryText(sql: string, format: string, o?: QueryOptions): Promise<string> {
    try {
      const rs = await client.query({
        query: bindDatabase(sql, database),
        format: format as 'JSONEachRow',
        query_params: o?.params,
        clickhouse_settings: settingsFor(o) as Record<string, string>,
      });
      return await rs.text();
    } catch (err) {
      throw toClickHouseError(err, 'clickhouse_query_failed', 'server query');
    }
  }

  const store: ClickHouseStore = {
    mode: 'server',
    database,
    async query<T>(sql: string, o?: QueryOptions): Promise<T[]> {
      const text = await queryText(sql, 'JSONEachRow', o);
      const out: T[] = [];
      for (const line of text.split('\n')) if (line.length > 0) out.push(JSON.parse(line) as T);
      return out;
    },
    queryText,
    async command(sql, o) {
      try {
        await client.command({ query: bindDatabase(sql, database), query_params: o?.params, clickhouse_settings: settingsFor(o) as Record<string, string> });
      } catch (err) {
        throw toClickHouseError(err, 'clickhouse_query_failed', 'server command');
      }
    },
    async insert(o: InsertOptions) {
      const c = await store.capabilities();
      const settings: Record<string, string | number> = { ...o.settings };
      if (c.asyncInsertSetting) settings.async_insert = 0;
      if (o.dedupToken && c.dedupToken) settings.insert_deduplication_token = o.dedupToken;
      try {
        await client.insert({
          table: `${database}.${assertIdentifier(o.table, 'table')}`,
          values: Readable.from([typeof o.data === 'string' ? Buffer.from(o.data) : o.data], { objectMode: false }),
          format: o.format,
          columns: o.columns as [string, ...string[]],
          clickhouse_settings: settings as Record<string, string>,
        });
      } catch (err) {
        throw toClickHouseError(err, 'clickhouse_insert_failed', `insert into ${o.table}`);
      }
    },
    capabilities() {
      caps ??= (async () => {
        const rows = await store.query<{ v: string }>('SELECT version() AS v');
        const v = rows[0]?.v ?? '0';
        return { dedupToken: versionAtLeast(v, 22, 2), asyncInsertSetting: versionAtLeast(v, 21, 11) };
      })().catch((err: unknown) => {
        caps = null;
        throw err;
      });
      return caps;
    },
    async healthcheck(): Promise<StoreHealth> {
      try {
        const rows = await store.query<{ v: string }>('SELECT version() AS v');
        return { ok: true, mode: 'server', version: rows[0]?.v ?? '' };
      } catch (err) {
        return { ok: false, mode: 'server', version: '', detail: (err as Error).message };
      }
    },
    close: () => client.close(),
  };
  return store;
}
