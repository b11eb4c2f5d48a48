/**
 * Late knowledge: requests stored before the Tor history covering their time was imported get their verdict from
 * the query-time SQL verdict (requests_tor) once the history arrives, without any request row being rewritten
 * (same parts, same bytes, tor_at_ingest unchanged); times outside every source's coverage stay `unknown`.
 * Runs the real CLI (`torlogs ingest --file`, `torlogs tor import`) on a fresh embedded store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTorlogs } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';

// [ip, CLF time, verdict once the fixture history is known, why]
const CASES: Array<[string, string, string, string]> = [
  ['102.130.113.9', '02/Jun/2023:12:00:00 +0000', 'exit', 'in every bulk snapshot'],
  ['130.61.184.151', '03/Jun/2023:14:30:06 +0200', 'exit', 'first listed 2023-06-03 12:30:06 UTC (the line has a +02:00 offset)'],
  ['130.61.184.151', '03/Jun/2023:11:30:06 +0000', 'near', 'the snapshot 1 h before its first listing did not list it'],
  ['176.10.104.240', '31/Oct/2018:11:11:00 +0000', 'exit', 'scanned by the 2018-11-01 exit list'],
  ['198.51.100.7', '03/Jun/2023:12:00:00 +0000', 'not_exit', 'never listed; snapshots cover the day around'],
  ['2001:db8::7', '03/Jun/2023:12:00:00 +0000', 'not_exit', 'IPv6: the bulk lists hold IPv6 addresses, so they cover the family'],
  ['198.51.100.7', '15/Jan/2019:12:00:00 +0000', 'unknown', 'no source covers January 2019'],
  ['102.130.113.9', '15/Jan/2019:12:00:00 +0000', 'unknown', 'a known exit IP, but at a time no source covers'],
];

test('requests stored before their Tor history get it at query time; no request row is rewritten', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-late-'));
  try {
    const env = { TORLOGS_DATA_DIR: join(dir, 'data') };
    const log = join(dir, 'access.log');
    writeFileSync(log, CASES.map(([ip, t], i) => `${ip} - - [${t}] "GET /case/${i} HTTP/1.1" 200 ${100 + i} "-" "late-knowledge-test"\n`).join(''));
    const ingest = await runTorlogs(['ingest', '--file', log, '--site', 'late.example', '--json'], env);
    assert.equal(ingest.code, 0, ingest.stderr);

    const snapshot = async () => {
      const s = openEmbeddedStore({ dataDir: env.TORLOGS_DATA_DIR, database: 'torlogs' });
      try {
        const verdicts = await s.query<{ path: string; v: string; at_ingest: string }>(
          'SELECT path, tor_verdict AS v, toString(tor_at_ingest) AS at_ingest FROM ${DB}.requests_tor ORDER BY toUInt32(splitByChar(\'/\', path)[3])',
        );
        const parts = await s.queryText("SELECT name, rows, bytes_on_disk, modification_time FROM system.parts WHERE database = 'torlogs' AND table = 'requests' AND active ORDER BY name", 'TSV');
        const rows = await s.queryText('SELECT * FROM ${DB}.requests ORDER BY path FORMAT TSV', 'TSV');
        return { verdicts, parts, rows };
      } finally {
        await s.close();
      }
    };
    const before = await snapshot();
    assert.equal(before.verdicts.length, CASES.length);
    assert.deepEqual(before.verdicts.map((r) => r.v), CASES.map(() => 'unknown'), 'no Tor history yet: every verdict is unknown');
    assert.deepEqual(before.verdicts.map((r) => r.at_ingest), CASES.map(() => 'unknown'));

    const imp = await runTorlogs(['tor', 'import', fixture('tor', 'collector-exit-lists'), fixture('tor', 'bulk-snapshots'), '--json'], env);
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal((JSON.parse(imp.stdout) as { imported: number }).imported, 4 + 92);

    const after = await snapshot();
    assert.deepEqual(
      after.verdicts.map((r, i) => `${CASES[i]![0]} ${CASES[i]![1]}: ${r.v}`),
      CASES.map(([ip, t, v]) => `${ip} ${t}: ${v}`),
    );
    assert.deepEqual(after.verdicts.map((r) => r.at_ingest), CASES.map(() => 'unknown'), 'the ingest-time status is a fact of its time and stays');
    assert.equal(after.parts, before.parts, 'the request parts are untouched (no mutation, no rewrite)');
    assert.equal(after.rows, before.rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
