import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTorlogs } from '../helpers/cli.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { MIGRATIONS } from '../../shared/store/migrations/index.js';

test('torlogs migrate twice on a fresh embedded store: second run changes nothing; IPv4 and IPv6 rows read back exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-mig-'));
  try {
    const env = { TORLOGS_DATA_DIR: dir };
    const first = await runTorlogs(['migrate', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const r1 = JSON.parse(first.stdout) as { applied: unknown[]; alreadyApplied: number; mode: string };
    assert.equal(r1.mode, 'embedded');
    assert.equal(r1.applied.length, MIGRATIONS.length);

    const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
    const schemaBefore = await store.queryText("SELECT name, create_table_query FROM system.tables WHERE database = 'torlogs' ORDER BY name", 'TSV');
    await store.close();

    const second = await runTorlogs(['migrate', '--json'], env);
    assert.equal(second.code, 0, second.stderr);
    const r2 = JSON.parse(second.stdout) as { applied: unknown[]; alreadyApplied: number };
    assert.deepEqual(r2.applied, []);
    assert.equal(r2.alreadyApplied, MIGRATIONS.length);

    const s = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
    assert.equal(await s.queryText("SELECT name, create_table_query FROM system.tables WHERE database = 'torlogs' ORDER BY name", 'TSV'), schemaBefore);
    const mig = await s.query<{ n: string }>('SELECT count() AS n FROM ${DB}.schema_migrations');
    assert.equal(Number(mig[0]!.n), MIGRATIONS.length);

    const cols = ['ts', 'site', 'ip', 'ip_source', 'peer_ip', 'method', 'path', 'status', 'bytes', 'source', 'source_partition', 'source_offset', 'line_index'];
    const rows = [
      ['2024-03-02 14:05:00.123', 'shop.example', '::ffff:198.51.100.7', 'remote_addr', '::ffff:198.51.100.7', 'GET', '/a?b=c', '200', '512', 'test', '0', '1', '0'],
      ['2024-03-02 14:06:00.000', 'shop.example', '2001:db8::7', 'x-forwarded-for', '::ffff:10.0.0.1', 'POST', '/login', '403', '0', 'test', '0', '2', '0'],
    ];
    await s.insert({ table: 'requests', columns: cols, format: 'TabSeparated', data: rows.map((r) => r.join('\t')).join('\n') + '\n', dedupToken: 'test:0:1-2' });
    // the same batch again (a retry) is deduplicated by its token
    await s.insert({ table: 'requests', columns: cols, format: 'TabSeparated', data: rows.map((r) => r.join('\t')).join('\n') + '\n', dedupToken: 'test:0:1-2' });
    const back = await s.query<Record<string, unknown>>(
      "SELECT toString(ts) AS ts, site, toString(ip) AS ip, IPv4NumToString(toIPv4OrZero(replaceOne(toString(ip), '::ffff:', ''))) AS v4, ip_source, toString(peer_ip) AS peer, method, path, status, bytes, tor_at_ingest FROM ${DB}.requests ORDER BY ts",
    );
    assert.deepEqual(back, [
      { ts: '2024-03-02 14:05:00.123', site: 'shop.example', ip: '::ffff:198.51.100.7', v4: '198.51.100.7', ip_source: 'remote_addr', peer: '::ffff:198.51.100.7', method: 'GET', path: '/a?b=c', status: 200, bytes: '512', tor_at_ingest: 'unknown' },
      { ts: '2024-03-02 14:06:00.000', site: 'shop.example', ip: '2001:db8::7', v4: '0.0.0.0', ip_source: 'x-forwarded-for', peer: '::ffff:10.0.0.1', method: 'POST', path: '/login', status: 403, bytes: '0', tor_at_ingest: 'unknown' },
    ]);
    // parameterised lookup by IP, both spellings of the IPv4 client
    for (const ip of ['198.51.100.7', '::ffff:198.51.100.7']) {
      const hit = await s.query<{ n: string }>('SELECT count() AS n FROM ${DB}.requests WHERE ip = toIPv6({ip:String})', { params: { ip } });
      assert.equal(Number(hit[0]!.n), 1, ip);
    }
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
