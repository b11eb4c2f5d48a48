import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAnalystSql } from '../../../shared/api/sql-runner.js';
import type { ClickHouseStore, QueryOptions } from '../../../shared/store/store.js';

/** a store that records what runAnalystSql asks for; `refuse` is the error of a read-only profile on a settings change */
function fakeStore(mode: 'embedded' | 'server', refuse?: string) {
  const calls: Array<{ sql: string; format: string; o?: QueryOptions }> = [];
  const store = {
    mode,
    async queryText(sql: string, format: string, o?: QueryOptions) {
      calls.push({ sql, format, o });
      if (refuse && o?.settings?.readonly !== undefined) throw new Error(refuse);
      return 'ok\n';
    },
  } as unknown as ClickHouseStore;
  return { store, calls };
}

const limits = { maxRows: 10, timeoutSeconds: 5 };

test('embedded: a readonly=2 session with row and time limits', async () => {
  const { store, calls } = fakeStore('embedded');
  assert.equal(await runAnalystSql(store, 'SELECT 1;', 'CSV', limits), 'ok\n');
  assert.deepEqual(calls, [{ sql: 'SELECT 1', format: 'CSV', o: { readonly: true, settings: { max_result_rows: 10, result_overflow_mode: 'throw', max_execution_time: 5 } } }]);
});

test('server: readonly=1 is sent; a profile that is read-only already and refuses the change gets the query without it', async () => {
  const plain = fakeStore('server');
  await runAnalystSql(plain.store, 'SELECT 1', 'TSV', limits);
  assert.deepEqual(plain.calls.map((c) => c.o), [{ settings: { readonly: 1 } }]);
  const ro2 = fakeStore('server', 'server query: ClickHouse error 164: Code: 164. DB::Exception: Cannot modify \'readonly\' setting in readonly mode. (READONLY)');
  assert.equal(await runAnalystSql(ro2.store, 'SELECT 1', 'TSV', limits), 'ok\n');
  assert.deepEqual(ro2.calls.map((c) => c.o), [{ settings: { readonly: 1 } }, undefined]);
  const ro18 = fakeStore('server', 'Code: 164, e.displayText() = DB::Exception: Cannot override setting (readonly) in readonly mode');
  assert.equal(await runAnalystSql(ro18.store, 'SELECT 1', 'TSV', limits), 'ok\n');
  const other = fakeStore('server', 'Code: 47. Unknown identifier');
  await assert.rejects(runAnalystSql(other.store, 'SELECT nope', 'TSV', limits), /Unknown identifier/);
  await assert.rejects(runAnalystSql(other.store, 'DROP TABLE x', 'TSV', limits), /read-only/);
  assert.equal(other.calls.length, 1, 'a refused statement never reaches the store');
});
