import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertReadOnlySql } from '../../../shared/api/sql-guard.js';
import { TorlogsError } from '../../../shared/core/errors.js';

const allowed = [
  'SELECT 1',
  'select count() from torlogs.requests_tor;',
  '  WITH x AS (SELECT 1) SELECT * FROM x',
  '(SELECT 1) UNION ALL (SELECT 2)',
  'SHOW TABLES FROM torlogs',
  'DESCRIBE TABLE torlogs.requests',
  'EXPLAIN SELECT 1',
  "SELECT 'INSERT INTO x; DROP TABLE y' AS s",
  'SELECT 1 -- ; DROP TABLE x',
  "SELECT * FROM torlogs.tor_hits(site = 'a', from_ts = '2023-06-01 00:00:00', to_ts = '2023-06-02 00:00:00')",
];
for (const q of allowed) test(`allowed: ${q}`, () => assert.equal(typeof assertReadOnlySql(q), 'string'));

const refused: Array<[string, RegExp]> = [
  ['INSERT INTO torlogs.requests (site) VALUES (1)', /read-only: INSERT statements are refused/],
  ['insert into torlogs.requests select * from torlogs.requests', /INSERT statements are refused/],
  ['CREATE TABLE torlogs.x (a UInt8) ENGINE = Memory', /CREATE statements are refused/],
  ['DROP TABLE torlogs.requests', /DROP statements are refused/],
  ['ALTER TABLE torlogs.requests DELETE WHERE 1', /ALTER statements are refused/],
  ['TRUNCATE TABLE torlogs.requests', /TRUNCATE/],
  ['RENAME TABLE torlogs.requests TO torlogs.r2', /RENAME/],
  ['OPTIMIZE TABLE torlogs.requests', /OPTIMIZE/],
  ['SYSTEM RELOAD DICTIONARIES', /SYSTEM/],
  ['GRANT ALL ON *.* TO x', /GRANT/],
  ['SET readonly = 0', /SET statements/],
  ['KILL QUERY WHERE 1', /KILL/],
  ['/* hi */ DELETE FROM torlogs.requests WHERE 1', /DELETE/],
  ['SELECT 1; DROP TABLE torlogs.requests', /one statement per query/],
  ["SELECT * FROM url('http://127.0.0.1:1/', CSV, 'a String')", /table function url\(\) is refused/],
  ["SELECT * FROM file('/etc/passwd', LineAsString)", /file\(\)/],
  ["SELECT * FROM remote('127.0.0.1', system.one)", /remote\(\)/],
  ["SELECT 1 INTO OUTFILE '/tmp/x'", /INTO OUTFILE/],
  ['SELECT 1 SETTINGS readonly = 0', /SETTINGS clauses are refused/],
  ['SELECT 1 FORMAT JSON', /--format/],
  ['   ', /empty/],
];
for (const [q, want] of refused) {
  test(`refused: ${q}`, () => {
    assert.throws(() => assertReadOnlySql(q), (e: unknown) => e instanceof TorlogsError && want.test(e.message));
  });
}
