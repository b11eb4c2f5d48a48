import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TorlogsError } from '../../../shared/core/errors.js';
import { openMmdb, type GeoDbKind } from '../../../shared/geo/mmdb-database.js';
import { fixture } from '../../helpers/fixtures.js';

const mmdb = (name: string) => readFileSync(fixture('mmdb', `${name}.mmdb`));
const city = mmdb('GeoIP2-City-Test');
const TREE = 10829; // search tree size of GeoIP2-City-Test (1547 nodes of 7 bytes)

const copy = (b: Buffer, edit: (c: Buffer) => void) => {
  const c = Buffer.from(b);
  edit(c);
  return c;
};

// [case, bytes, configured kind, expected message after "MaxMind database t.mmdb: "]
const refused: Array<[string, Buffer, GeoDbKind, string]> = [
  ['empty file', Buffer.alloc(0), 'city', 'no MaxMind DB metadata marker in its 0 bytes: not an .mmdb file, or cut short'],
  ['text file', Buffer.from('<html>404 Not Found</html>\n'), 'city', 'no MaxMind DB metadata marker in its 27 bytes: not an .mmdb file, or cut short'],
  ['first half of a database (copy in progress)', city.subarray(0, city.length >> 1), 'city', `no MaxMind DB metadata marker in its ${city.length >> 1} bytes: not an .mmdb file, or cut short`],
  ['data section separator overwritten', copy(city, (c) => (c[TREE + 3] = 1)), 'city', 'corrupt: no data section separator after the search tree'],
  ['search tree overwritten', copy(city, (c) => c.fill(0xff, 0, TREE)), 'city', 'corrupt: looking up 1.1.1.1 failed (Unknown type NaN at offset 268444739)'],
  ['data section overwritten', copy(city, (c) => c.fill(0xff, TREE + 16, TREE + 16 + 4000)), 'city', 'corrupt: looking up 81.2.69.142 failed (Maximum call stack size exceeded)'],
  ['Country database where the City one belongs', mmdb('GeoLite2-Country-Test'), 'city', 'is a "GeoLite2-Country" database, configured as city: expected a City database (GeoLite2-City, GeoIP2-City, GeoIP2-Enterprise)'],
  ['ASN database as the Country one', mmdb('GeoLite2-ASN-Test'), 'country', 'is a "GeoLite2-ASN" database, configured as country: expected a Country or City database'],
  ['City database as the ASN one', city, 'asn', 'is a "GeoIP2-City" database, configured as asn: expected an ASN database (GeoLite2-ASN, GeoIP2-ISP)'],
];
for (const [name, bytes, kind, message] of refused) {
  test(`MaxMind database refused: ${name}`, () => {
    assert.throws(() => openMmdb(bytes, 't.mmdb', kind, 'stamp', []), (e: unknown) => {
      assert.ok(e instanceof TorlogsError);
      assert.equal(e.code, 'geo_db_invalid');
      assert.equal(e.message, `MaxMind database t.mmdb: ${message}`);
      assert.deepEqual(e.details, { path: 't.mmdb' });
      return true;
    });
  });
}

// [file, configured kind, database type]
const accepted: Array<[string, GeoDbKind, string]> = [
  ['GeoIP2-City-Test', 'city', 'GeoIP2-City'],
  ['GeoLite2-City-Test', 'city', 'GeoLite2-City'],
  ['GeoLite2-City-Test', 'country', 'GeoLite2-City'],
  ['GeoLite2-Country-Test', 'country', 'GeoLite2-Country'],
  ['GeoLite2-ASN-Test', 'asn', 'GeoLite2-ASN'],
];
for (const [file, kind, type] of accepted) {
  test(`MaxMind database ${file} accepted as ${kind}`, () => {
    const db = openMmdb(mmdb(file), 't.mmdb', kind, 'stamp', ['81.2.69.142', '2001:218::1']);
    assert.equal(db.databaseType, type);
    assert.equal(db.build, 1770245369); // 2026-02-04T22:49:29Z, all four test databases
    assert.equal(db.ipVersion, 6);
    assert.equal(db.kind, kind);
  });
}
