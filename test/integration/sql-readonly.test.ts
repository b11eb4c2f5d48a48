/**
 * `torlogs sql` is read-only everywhere: on the embedded store directly, through a running `torlogs serve` (which
 * owns the data directory; POST /v1/sql with an analyst key), and on the ClickHouse 18.16 server as the readonly
 * profile user. The guard refuses writes and schema changes with a clear message, and the sessions behind it refuse
 * them again when the guard is bypassed. The role grants for servers >= 20.5 are parsed and level-checked by the
 * ClickHouse engine (chDB), and refused with a pointer to the users.d profiles on 18.16.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { accessControlStatements, applyAccessControl } from '../../shared/api/access-control.js';
import { createApiKey } from '../../shared/api/api-keys.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { openServerStore } from '../../shared/store/server-store.js';
import { runTorlogs, repoRoot, torlogsBin } from '../helpers/cli.js';
import { CLICKHOUSE_TEST_USERS, clickhouseServerUrl, requireClickhouseServer, uniqueName } from '../helpers/services.js';
import { openFixtureStore, type FixtureStore } from '../unit/checks/fixture-store.js';

const WRITES: Array<[string, RegExp]> = [
  ["INSERT INTO torlogs.requests (site) VALUES ('x')", /read-only: INSERT statements are refused/],
  ['CREATE TABLE torlogs.x (a UInt8) ENGINE = Memory', /CREATE statements are refused/],
  ['DROP TABLE torlogs.requests', /DROP statements are refused/],
];
// (every other statement kind: test/unit/api/sql-guard.test.ts; the CLI runs are slow, so three here)

let fx: FixtureStore;
let analystKey = '';
before(async () => {
  fx = await openFixtureStore();
  // the read-only session refuses what the guard would have stopped (guard bypassed: straight to the store)
  for (const sql of ["INSERT INTO ${DB}.requests (site) VALUES ('x')", 'CREATE TABLE ${DB}.x (a UInt8) ENGINE = Memory', 'DROP TABLE ${DB}.requests']) {
    await assert.rejects(fx.store.command(sql, { readonly: true }), /READONLY|readonly/i, sql);
  }
  analystKey = (await createApiKey(fx.store, 'analyst test', 'analyst')).key;
  await fx.store.close();
});
after(() => fx.close().catch(() => undefined));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('embedded store, no serve running: torlogs sql opens it read-only; writes and schema changes are refused (exit 1)', async () => {
  const env = { TORLOGS_DATA_DIR: fx.dir };
  const ok = await runTorlogs(['sql', "SELECT site, count() AS n FROM torlogs.requests WHERE ip = toIPv6('136.243.17.36') GROUP BY site ORDER BY site"], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'site\tn\nblog.example\t1\nshop.example\t5\n');
  for (const [sql, msg] of WRITES.slice(0, 2)) {
    const r = await runTorlogs(['sql', sql], env);
    assert.equal(r.code, 1, sql);
    assert.match(r.stderr, /clickhouse_readonly_violation/, sql);
    assert.match(r.stderr, msg, sql);
  }
  const s = openEmbeddedStore({ dataDir: fx.dir, database: 'torlogs' });
  assert.deepEqual(await s.query('SELECT count() AS n FROM ${DB}.requests'), [{ n: '12' }], 'nothing changed');
  await s.close();
});

test('embedded store owned by torlogs serve: torlogs sql goes through its API with an analyst key; writes refused; an isp key gets 403', async () => {
  const port = await freePort();
  const base = { TORLOGS_DATA_DIR: fx.dir };
  const akey = analystKey;
  const isp = await runTorlogs(['api-key', 'create', '--name', 'isp test', '--role', 'isp'], base);
  const ikey = isp.stdout.trim();
  assert.match(ikey, /^tlk_[0-9a-f]{12}_[A-Za-z0-9_-]{27}$/, isp.stderr);
  assert.match(isp.stderr, /shown once/);

  const serveEnv: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(serveEnv)) if (k.startsWith('TORLOGS_')) delete serveEnv[k];
  Object.assign(serveEnv, { TORLOGS_LOG_LEVEL: 'warn', TORLOGS_DATA_DIR: fx.dir, TORLOGS_HTTP_PORT: String(port), TORLOGS_TOR_SOURCES: 'bulk=http://127.0.0.1:9/none' });
  const child: ChildProcess = spawn(process.execPath, [torlogsBin, 'serve', '--no-sync-on-start'], { env: serveEnv, cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(`${url}/openapi.json`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not come up: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const env = { ...base, TORLOGS_API_KEY: akey, TORLOGS_API_URL: url };
    const ok = await runTorlogs(['sql', 'SELECT count() AS n FROM torlogs.tor_hits(site = \'shop.example\', from_ts = \'2023-06-02 00:00:00\', to_ts = \'2023-06-03 00:00:00\')'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'n\n6\n', '5 requests of 136.243.17.36 and 1 of 2001:470:1:908::9001 while listed');
    for (const [sql, msg] of WRITES.slice(0, 1)) {
      const r = await runTorlogs(['sql', sql], env);
      assert.equal(r.code, 1, sql);
      assert.match(r.stderr, msg, sql);
    }
    const forbidden = await runTorlogs(['sql', 'SELECT 1'], { ...env, TORLOGS_API_KEY: ikey });
    assert.notEqual(forbidden.code, 0);
    assert.match(forbidden.stderr, /403: this route needs role analyst/);
    const direct = await runTorlogs(['sql', 'SELECT 1'], base);
    assert.equal(direct.code, 1, 'without a key the locked data directory cannot be opened');
    assert.match(direct.stderr, /If torlogs serve owns this data directory, query through it: set TORLOGS_API_KEY/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

test('ClickHouse 18.16: torlogs sql as the readonly-profile user reads; writes and DDL are refused by the guard and by the server', async () => {
  await requireClickhouseServer();
  const url = clickhouseServerUrl();
  const reader = CLICKHOUSE_TEST_USERS.reader;
  const env = { TORLOGS_CLICKHOUSE_URL: url, TORLOGS_SQL_USER: reader.username, TORLOGS_SQL_PASSWORD: reader.password };
  const ok = await runTorlogs(['sql', 'SELECT 1 + 1 AS two', '--format', 'TSVWithNames'], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'two\n2\n');
  const w = await runTorlogs(['sql', 'CREATE TABLE default.x (a UInt8) ENGINE = Memory'], env);
  assert.equal(w.code, 1);
  assert.match(w.stderr, /read-only: CREATE statements are refused/);

  // behind the guard: the reader user, and the readonly=1 setting torlogs sql sends for any user, refuse writes
  const admin = openServerStore({ url, ...CLICKHOUSE_TEST_USERS.admin, database: 'default', timeoutMs: 10_000 });
  const table = uniqueName('sql_ro');
  await admin.command(`CREATE TABLE default.${table} (a UInt8) ENGINE = Memory`);
  const ro = openServerStore({ url, ...reader, database: 'default', timeoutMs: 10_000 });
  try {
    await assert.rejects(ro.command(`INSERT INTO default.${table} VALUES (1)`), /readonly mode/);
    await assert.rejects(ro.command(`DROP TABLE default.${table}`), /readonly mode/);
    await assert.rejects(ro.command('CREATE TABLE default.x2 (a UInt8) ENGINE = Memory'), /readonly mode/);
    await assert.rejects(admin.command(`INSERT INTO default.${table} VALUES (1)`, { settings: { readonly: 1 } }), /readonly mode/);
    assert.equal(await ro.queryText(`SELECT count() FROM default.${table}`, 'TSV', { settings: { readonly: 1 } }), '0\n');
    // no SQL access management on 18.16: grants --apply explains where the rules live instead
    await assert.rejects(applyAccessControl(admin), /ClickHouse 18\.16[\d.]* has no SQL access management .*users\.d/);
  } finally {
    await admin.command(`DROP TABLE IF EXISTS default.${table}`);
    await ro.close();
    await admin.close();
  }
});

test('role grants for servers >= 20.5: every statement parsed and level-checked by ClickHouse 26 (chDB); no role may change the schema', async () => {
  const sql = accessControlStatements('torlogs');
  const s = openEmbeddedStore({ dataDir: fx.dir, database: 'torlogs' });
  try {
    for (const q of sql) await s.queryText(`EXPLAIN AST ${q}`, 'TSV');
    await assert.rejects(s.queryText('EXPLAIN AST GRANT SYSTEM RELOAD DICTIONARY ON torlogs.* TO r', 'TSV'), /INVALID_GRANT|global/i, 'the check is real');
  } finally {
    await s.close();
  }
  const grants = sql.filter((q) => q.startsWith('GRANT'));
  for (const g of grants) assert.doesNotMatch(g, /\b(ALTER|CREATE|DROP|TRUNCATE|ALL|OPTIMIZE)\b/, g);
  assert.ok(grants.filter((g) => g.includes('torlogs_analyst_role')).every((g) => !/\bINSERT\b|api_keys/.test(g)), 'analyst: no INSERT, no api_keys');
  assert.ok(grants.filter((g) => g.includes('torlogs_api_role')).every((g) => !/\bINSERT\b/.test(g)), 'api: read-only');
  assert.ok(grants.some((g) => g === 'GRANT INSERT ON torlogs.requests TO torlogs_ingest_role'));
  assert.ok(!grants.some((g) => /INSERT ON torlogs\.(\*|api_keys)/.test(g)), 'ingest inserts only into the tables it writes');
  const printed = await runTorlogs(['grants']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stdout, sql.map((q) => `${q};\n`).join(''));
});
