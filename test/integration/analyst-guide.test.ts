/**
 * Every ```sql block of docs/analyst-guide.md runs as an analyst query (read-only guard + read-only session, the
 * path of `torlogs sql`) on an embedded store with the real Tor fixture history and the known requests of
 * test/unit/checks/fixture-store.ts; the results of several are checked exactly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAnalystSql } from '../../shared/api/sql-runner.js';
import { repoRoot } from '../helpers/cli.js';
import { openFixtureStore, type FixtureStore } from '../unit/checks/fixture-store.js';

const guide = readFileSync(join(repoRoot, 'docs', 'analyst-guide.md'), 'utf8');
const blocks = [...guide.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const id = (sql: string) => /^-- ([a-z0-9-]+)/.exec(sql)?.[1] ?? '';

let fx: FixtureStore;
const results = new Map<string, Array<Record<string, unknown>>>();
before(async () => {
  fx = await openFixtureStore();
});
after(() => fx.close());

test('the guide has 10+ example queries, each with an id comment', () => {
  assert.ok(blocks.length >= 10, `${blocks.length} sql blocks`);
  const ids = blocks.map(id);
  assert.ok(ids.every((x) => x !== ''), 'every block starts with -- <id>');
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test('every example query runs as an analyst query', async () => {
  for (const sql of blocks) {
    const text = await runAnalystSql(fx.store, sql, 'JSONEachRow', { maxRows: 100_000, timeoutSeconds: 60 });
    results.set(id(sql), text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>));
  }
  assert.equal(results.size, blocks.length);
});

test('exact results on the fixture data', () => {
  const r = (k: string) => {
    const v = results.get(k);
    assert.ok(v, `query ${k} ran`);
    return v;
  };
  // 136.243.17.36 (listed 06-01 22:30:05 .. 06-02 23:30:05) and 2001:470:1:908::9001 (every snapshot) on 06-02;
  // on 06-03 192.0.2.1 (never listed) twice and 45.61.184.38 at 05:30:05 exit, 06:30:05 near (left out of that snapshot), 07:30:05 exit
  assert.deepEqual(r('tor-share-site-day').map((x) => [x.site, x.day, Number(x.requests), Number(x.tor_exit), Number(x.tor_near)]), [
    ['blog.example', '2023-06-02', 1, 1, 0],
    ['shop.example', '2023-06-02', 6, 6, 0],
    ['shop.example', '2023-06-03', 5, 2, 1],
  ]);
  assert.deepEqual(r('tor-top-paths')[0], { site: 'shop.example', path: '/login', tor_requests: '3', tor_ips: '1' });
  assert.deepEqual(r('tor-hits-hourly').map((x) => [x.hour, Number(x.tor_requests)]), [
    ['2023-06-02 11:00:00', 2], ['2023-06-02 12:00:00', 3], ['2023-06-02 15:00:00', 1],
  ]);
  assert.deepEqual(r('ip-requests').map((x) => [x.path, x.tor_verdict]), [['/a', 'exit'], ['/b', 'near'], ['/c', 'exit']]);
  assert.ok(r('new-exits').some((x) => x.exit_ip === '::ffff:130.61.184.151' && x.first_seen === '2023-06-03 12:30:06'), 'first listed mid-series');
  assert.deepEqual(r('late-knowledge').map((x) => [x.site, x.tor_at_ingest, Number(x.requests)]), [['blog.example', 'unknown', 1], ['shop.example', 'unknown', 8]]);
  assert.deepEqual(r('exit-intervals').map((x) => [x.valid_from, x.valid_to, Number(x.observations)]), [
    ['2023-06-01 07:30:07', '2023-06-01 15:30:05', 9], ['2023-06-01 17:30:05', '2023-06-01 20:30:06', 4], ['2023-06-01 22:30:05', '2023-06-02 23:30:05', 26],
  ]);
  assert.deepEqual(r('relays-of-ip').map((x) => x.fingerprint), ['0111BA9B604669E636FFD5B503F382A4B7AD6E80', 'AD86CD1A49573D52A7B6F4A35750F161AAD89C88']);
  assert.deepEqual(r('verdict-any'), [{ at_scan: 'exit', without_data: 'unknown', never_listed: 'not_exit' }]);
  assert.deepEqual(r('tor-history').map((x) => [x.kind, Number(x.documents)]), [['bulk', 92], ['consensus', 2], ['onionoo', 1], ['tordnsel', 4]]);
  assert.deepEqual(r('rejects'), []);
});
