/**
 * The HTTP transport against a real ClickHouse server (Debian's 18.16: no IPv6 type, no query parameters, no
 * dedup tokens — so this exercises inserts, reads, error mapping, auth and read-only enforcement on a simple table).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TorlogsError } from '../../shared/core/errors.js';
import { openServerStore } from '../../shared/store/server-store.js';
import type { ClickHouseStore } from '../../shared/store/store.js';
import { clickhouseServerUrl, requireClickhouseServer, uniqueName } from '../helpers/services.js';

let admin: ClickHouseStore;
const table = uniqueName('t_http');

before(async () => {
  await requireClickhouseServer();
  admin = openServerStore({ url: clickhouseServerUrl(), username: 'default', password: '', database: 'default', timeoutMs: 30_000 });
  await admin.command(`CREATE TABLE \${DB}.${table} (ts DateTime, site String, ip String, n UInt64) ENGINE = MergeTree ORDER BY (site, ts)`);
});

after(async () => {
  await admin?.command(`DROP TABLE IF EXISTS \${DB}.${table}`);
  await admin?.close();
});

test('inserts TabSeparated rows over HTTP and reads them back exactly', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => `2024-03-02 14:${String(i % 60).padStart(2, '0')}:00\tsite-${i % 3}\t198.51.100.${i % 256}\t${i}\n`);
  await admin.insert({ table, columns: ['ts', 'site', 'ip', 'n'], format: 'TabSeparated', data: rows.join(''), dedupToken: 'ignored-on-18.16' });
  const agg = await admin.query<{ c: string; s: string; sites: string }>(`SELECT count() AS c, sum(n) AS s, uniqExact(site) AS sites FROM \${DB}.${table}`);
  assert.deepEqual(agg, [{ c: '1000', s: String((999 * 1000) / 2), sites: '3' }]);
  const one = await admin.query<Record<string, unknown>>(`SELECT toString(ts) AS ts, site, ip, n FROM \${DB}.${table} WHERE n = 257`);
  assert.deepEqual(one, [{ ts: '2024-03-02 14:17:00', site: 'site-2', ip: '198.51.100.1', n: '257' }]);
});

test('capabilities: the 18.16 server has no dedup tokens and no async_insert setting', async () => {
  assert.deepEqual(await admin.capabilities(), { dedupToken: false, asyncInsertSetting: false });
  const h = await admin.healthcheck();
  assert.equal(h.ok, true);
  assert.match(h.version, /^18\.16\./);
});

const errorCases: Array<[string, string, number, string]> = [
  ['bad SQL', 'SELEC 1', 62, 'clickhouse_query_failed'],
  ['unknown table', 'SELECT * FROM ${DB}.no_such_table_xyz', 60, 'clickhouse_query_failed'],
  ['unknown column', `SELECT nope FROM \${DB}.${table}`, 47, 'clickhouse_query_failed'],
];
for (const [name, sql, serverCode, code] of errorCases) {
  test(`maps a server error to a typed error: ${name}`, async () => {
    await assert.rejects(admin.query(sql), (err: unknown) => {
      assert.ok(err instanceof TorlogsError, String(err));
      assert.equal(err.code, code);
      assert.equal(err.details.serverCode, serverCode);
      assert.equal(err.retriable, false);
      return true;
    });
  });
}

test('a row the server refuses is a data error (bisected and dead-lettered by the sink)', async () => {
  await assert.rejects(admin.insert({ table, columns: ['ts', 'site', 'ip', 'n'], format: 'TabSeparated', data: '2024-03-02 14:00:00\ts\tip\tnot-a-number\n' }), (err: unknown) => {
    assert.ok(err instanceof TorlogsError);
    assert.equal(err.code, 'clickhouse_insert_failed');
    assert.equal(err.retriable, false);
    assert.ok([26, 27, 72].includes(Number(err.details.serverCode)), `server code ${String(err.details.serverCode)}`);
    return true;
  });
});

test('wrong password is refused; a read-only user cannot insert; an unreachable server is retriable', async () => {
  const wrong = openServerStore({ url: clickhouseServerUrl(), username: 'torlogs_ingest', password: 'wrong', database: 'default', timeoutMs: 10_000 });
  await assert.rejects(wrong.query('SELECT 1'), (err: unknown) => err instanceof TorlogsError && [192, 193, 516].includes(Number(err.details.serverCode)));
  await wrong.close();

  const reader = openServerStore({ url: clickhouseServerUrl(), username: 'torlogs_reader', password: 'reader-secret', database: 'default', timeoutMs: 10_000 });
  const ok = await reader.query<{ c: string }>(`SELECT count() AS c FROM \${DB}.${table}`);
  assert.equal(ok.length, 1);
  await assert.rejects(reader.insert({ table, columns: ['ts', 'site', 'ip', 'n'], format: 'TabSeparated', data: '2024-03-02 14:00:00\ts\tip\t1\n' }), (err: unknown) => err instanceof TorlogsError && err.code === 'clickhouse_readonly_violation' && err.details.serverCode === 164);
  await reader.close();

  // read-only query option on a writing user: the server refuses writes and DDL in that call
  await assert.rejects(admin.command(`DROP TABLE \${DB}.${table}`, { readonly: true }), (err: unknown) => err instanceof TorlogsError && err.code === 'clickhouse_readonly_violation');

  const down = openServerStore({ url: 'http://127.0.0.1:1', username: 'default', password: '', database: 'default', timeoutMs: 5_000 });
  await assert.rejects(down.query('SELECT 1'), (err: unknown) => err instanceof TorlogsError && err.code === 'clickhouse_unavailable' && err.retriable);
  await down.close();
});
