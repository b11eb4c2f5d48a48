/**
 * Lookups against MaxMind's official test databases (test/fixtures/mmdb). Every expected value is taken from
 * test/fixtures/mmdb/source-data/*.json (GeoIP2-City-Test.json, GeoLite2-Country-Test.json, GeoLite2-ASN-Test.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGeoEnricher, type GeoInfo } from '../../../shared/geo/geo-enricher.js';
import { normalizeIp } from '../../../shared/net/ip.js';
import { fixture } from '../../helpers/fixtures.js';

const db = (name: string) => fixture('mmdb', `${name}.mmdb`);
const BUILD = 1770245369; // build epoch of all four test databases
type Geo = [country: string, city: string, geonameId: number, asn: number, asOrg: string];
const info = ([country, city, geonameId, asn, asOrg]: Geo, dbBuild = BUILD, asnDbBuild = BUILD): GeoInfo => ({ country, city, geonameId, asn, asOrg, dbBuild, asnDbBuild });

// [ip, City + ASN, Country + ASN]
const table: Array<[string, Geo, Geo]> = [
  ['81.2.69.142', ['GB', 'London', 2643743, 0, ''], ['GB', '', 2635167, 0, '']],
  ['216.160.83.56', ['US', 'Milton', 5803556, 209, ''], ['US', '', 6252001, 209, '']],
  ['89.160.20.112', ['SE', 'Linköping', 2694762, 29518, 'Bredband2 AB'], ['SE', '', 2661886, 29518, 'Bredband2 AB']],
  ['2.125.160.216', ['GB', 'Boxford', 2655045, 0, ''], ['GB', '', 2635167, 0, '']],
  ['175.16.199.1', ['CN', 'Changchun', 2038180, 0, ''], ['', '', 0, 0, '']],
  ['214.0.0.1', ['SG', 'Singapore', 1880252, 721, 'DoD Network Information Center'], ['', '', 0, 721, 'DoD Network Information Center']],
  ['2001:218::1', ['JP', '', 1861060, 0, ''], ['JP', '', 1861060, 0, '']],
  ['2001:480::1', ['', '', 0, 0, ''], ['US', '', 6252001, 0, '']],
  ['1.128.0.1', ['', '', 0, 1221, 'Telstra Pty Ltd'], ['', '', 0, 1221, 'Telstra Pty Ltd']],
  ['12.81.92.1', ['', '', 0, 7018, 'AT&T Services'], ['', '', 0, 7018, 'AT&T Services']],
  ['2600:6000::1', ['', '', 0, 237, 'Merit Network Inc.'], ['', '', 0, 237, 'Merit Network Inc.']],
  ['149.101.100.1', ['US', '', 6252001, 6167, 'CELLCO-PART'], ['', '', 0, 6167, 'CELLCO-PART']],
  // registered in RO, located in BT: the located country
  ['67.43.156.1', ['BT', '', 1252634, 35908, ''], ['BT', '', 1252634, 35908, '']],
  // represented by US (military base), located in PH
  ['202.196.224.1', ['PH', '', 1694008, 0, ''], ['PH', '', 1694008, 0, '']],
  // anycast: no country at all, never the registered one
  ['214.1.1.1', ['', '', 0, 721, 'DoD Network Information Center'], ['', '', 0, 721, 'DoD Network Information Center']],
  // continent only
  ['2a02:d500::1', ['', '', 0, 0, ''], ['', '', 0, 0, '']],
  // 6to4 address of 81.2.69.142: the databases alias 2002::/16 to IPv4
  ['2002:5102:458e::1', ['GB', 'London', 2643743, 0, ''], ['GB', '', 2635167, 0, '']],
  // no records: empty values, builds still given
  ['1.2.3.4', ['', '', 0, 0, ''], ['', '', 0, 0, '']],
  ['10.0.0.1', ['', '', 0, 0, ''], ['', '', 0, 0, '']],
  ['127.0.0.1', ['', '', 0, 0, ''], ['', '', 0, 0, '']],
  ['::1', ['', '', 0, 0, ''], ['', '', 0, 0, '']],
];

const cityGeo = createGeoEnricher({ cityDbPath: db('GeoIP2-City-Test'), asnDbPath: db('GeoLite2-ASN-Test'), watch: false });
const countryGeo = createGeoEnricher({ countryDbPath: db('GeoLite2-Country-Test'), asnDbPath: db('GeoLite2-ASN-Test'), watch: false });
const noMemo = createGeoEnricher({ cityDbPath: db('GeoIP2-City-Test'), asnDbPath: db('GeoLite2-ASN-Test'), watch: false, memoSize: 0 });

for (const [ip, withCity, withCountry] of table) {
  test(`geo ${ip}: City ${withCity.join('/')}, Country ${withCountry.join('/')}`, () => {
    assert.deepEqual(cityGeo.lookup(ip), info(withCity));
    assert.deepEqual(cityGeo.lookup(ip), info(withCity), 'from the memo');
    assert.deepEqual(noMemo.lookup(ip), info(withCity), 'without a memo');
    assert.deepEqual(countryGeo.lookup(ip), info(withCountry));
  });
}

for (const ip of ['81.2.69.142', '89.160.20.112', '1.128.0.1', '12.81.92.1']) {
  test(`IPv4-mapped ::ffff:${ip} answers as ${ip}`, () => {
    const plain = cityGeo.lookup(ip);
    assert.deepEqual(cityGeo.lookup(`::ffff:${ip}`), plain);
    assert.deepEqual(cityGeo.lookup(normalizeIp(`::FFFF:${ip}`)!), plain);
  });
}

test('GeoLite2 City lacks networks the GeoIP2 City test database has', () => {
  const lite = createGeoEnricher({ cityDbPath: db('GeoLite2-City-Test'), watch: false });
  assert.deepEqual(lite.lookup('214.0.0.1'), info(['', '', 0, 0, ''], BUILD, 0));
  assert.deepEqual(lite.lookup('81.2.69.142'), info(['GB', 'London', 2643743, 0, ''], BUILD, 0));
  assert.deepEqual(lite.builds(), { geo: BUILD, asn: 0 });
});

test('ASN database alone, City alone', () => {
  const asnOnly = createGeoEnricher({ asnDbPath: db('GeoLite2-ASN-Test'), watch: false });
  assert.deepEqual(asnOnly.lookup('89.160.20.112'), info(['', '', 0, 29518, 'Bredband2 AB'], 0, BUILD));
  const cityOnly = createGeoEnricher({ cityDbPath: db('GeoIP2-City-Test'), watch: false });
  assert.deepEqual(cityOnly.lookup('89.160.20.112'), info(['SE', 'Linköping', 2694762, 0, ''], BUILD, 0));
  const none = createGeoEnricher({ watch: false });
  assert.deepEqual(none.lookup('89.160.20.112'), info(['', '', 0, 0, ''], 0, 0));
});

test('text that is not an address gives empty values, never an exception', () => {
  for (const bad of ['', 'unix:', 'localhost', '1.2.3', '::g', '999.1.1.1']) assert.deepEqual(cityGeo.lookup(bad), info(['', '', 0, 0, '']));
});

test('answers are frozen and shared through the memo', () => {
  const a = cityGeo.lookup('81.2.69.142');
  assert.ok(Object.isFrozen(a));
  assert.equal(cityGeo.lookup('81.2.69.142'), a);
});

test('counters: lookups, memo hits, geo and ASN hits and misses', () => {
  const g = createGeoEnricher({ cityDbPath: db('GeoIP2-City-Test'), asnDbPath: db('GeoLite2-ASN-Test'), watch: false });
  for (const ip of ['81.2.69.142', '81.2.69.142', '1.128.0.1', '10.0.0.1', '89.160.20.112', '10.0.0.1']) g.lookup(ip);
  assert.deepEqual(g.stats, { lookups: 6, memoHits: 2, geoHits: 3, geoMisses: 3, asnHits: 2, asnMisses: 4, lookupErrors: 0, reloads: 0, reloadFailures: 0 });
  assert.deepEqual(g.healthcheck(), { ok: true });
  assert.deepEqual(g.databases().map((d) => [d.kind, d.databaseType, d.build]), [['city', 'GeoIP2-City', BUILD], ['asn', 'GeoLite2-ASN', BUILD]]);
});

test('a missing or wrong database at startup is a clear error', () => {
  assert.throws(() => createGeoEnricher({ cityDbPath: '/nonexistent/GeoLite2-City.mmdb', watch: false }), {
    name: 'TorlogsError',
    message: "MaxMind database /nonexistent/GeoLite2-City.mmdb: cannot read it: ENOENT: no such file or directory, open '/nonexistent/GeoLite2-City.mmdb'",
  });
  assert.throws(() => createGeoEnricher({ cityDbPath: db('GeoLite2-ASN-Test'), watch: false }), {
    message: `MaxMind database ${db('GeoLite2-ASN-Test')}: is a "GeoLite2-ASN" database, configured as city: expected a City database (GeoLite2-City, GeoIP2-City, GeoIP2-Enterprise)`,
  });
  assert.throws(() => createGeoEnricher({ cityDbPath: db('GeoIP2-City-Test'), countryDbPath: db('GeoLite2-Country-Test') }), {
    message: 'give either a City or a Country database, not both',
  });
});
