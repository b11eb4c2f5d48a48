/** Tor parsers on the real fixture documents: exact counts, hand-verified entries, garbage refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { TorlogsError } from '../../../shared/core/errors.js';
import { parseTorSource } from '../../../shared/tor/parse-tor-source.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';
import { fixture } from '../../helpers/fixtures.js';

const read = (...p: string[]) => ({ text: readFileSync(fixture('tor', ...p), 'utf8'), source: p.join('/') });

// counts from the files themselves: grep -c ExitAddress / ExitNode, distinct addresses (see the test README)
const exitLists: Array<[string, number, number]> = [
  ['2018-11-01-00-02-01', 934, 869],
  ['2018-11-01-01-02-01', 938, 873],
  ['2018-11-02-00-02-01', 925, 859],
  ['2018-11-02-01-02-01', 929, 862],
];
for (const [file, obs, ips] of exitLists) {
  test(`TorDNSEL ${file}: ${obs} ExitAddress observations, ${ips} IPs, coverage = the hour before Downloaded`, () => {
    const d = parseTorSource(read('collector-exit-lists', file), P);
    assert.equal(d.kind, 'tordnsel');
    assert.equal(d.observations.length, obs);
    assert.equal(new Set(d.observations.map((o) => o.ip)).size, ips);
    assert.equal(d.rejects.length, 0);
    const dl = Date.parse(`${file.slice(0, 10)}T${file.slice(11, 13)}:${file.slice(14, 16)}:${file.slice(17, 19)}Z`);
    assert.equal(d.downloadedAtMs, dl);
    assert.deepEqual(d.coverage, [{ kind: 'exit_scan', fromMs: dl - 3_600_000, toMs: dl }]);
  });
}

test('TorDNSEL: the first entry, its window = [scan, max(scan, LastStatus) + 1 h]', () => {
  const d = parseTorSource(read('collector-exit-lists', '2018-11-01-00-02-01'), P);
  assert.deepEqual(d.observations[0], {
    ip: '162.247.74.201', kind: 'exit_scan', fingerprint: '0011BD2485AD45D984EC4159C88FC066E5E3300E',
    observedAtMs: Date.UTC(2018, 9, 31, 6, 3, 23), validFromMs: Date.UTC(2018, 9, 31, 6, 3, 23), validToMs: Date.UTC(2018, 9, 31, 7, 3, 23), publishedAtMs: Date.UTC(2018, 9, 31, 5, 8, 21),
  });
});

test('TorDNSEL: one IP shared by several relays, one relay with several IPs', () => {
  const d = parseTorSource(read('collector-exit-lists', '2018-11-01-00-02-01'), P);
  const relaysOf = new Set(d.observations.filter((o) => o.ip === '176.10.104.240').map((o) => o.fingerprint));
  assert.deepEqual([...relaysOf].sort(), ['0111BA9B604669E636FFD5B503F382A4B7AD6E80', 'AD86CD1A49573D52A7B6F4A35750F161AAD89C88']);
  const ipsOf = d.observations.filter((o) => o.fingerprint === '6BF913C31A47E020637121014DB2AFE0877BD31B').map((o) => o.ip).sort();
  assert.deepEqual(ipsOf, ['185.220.100.254', '185.220.101.1', '193.171.202.150', '94.31.53.203']);
});

test('bulk snapshots: all 92 parse; time from the file name; IPv6 written expanded is normalised', () => {
  const files = readdirSync(fixture('tor', 'bulk-snapshots')).sort();
  assert.equal(files.length, 92);
  let total = 0;
  for (const f of files) {
    const d = parseTorSource(read('bulk-snapshots', f), P);
    assert.equal(d.kind, 'bulk');
    assert.equal(d.rejects.length, 0, f);
    total += d.observations.length;
  }
  assert.equal(total, 201_759);
  const first = parseTorSource(read('bulk-snapshots', files[0]!), P);
  assert.equal(first.downloadedAtMs, Date.UTC(2023, 5, 1, 7, 30, 7));
  assert.deepEqual(first.coverage, [{ kind: 'bulk_snapshot', fromMs: Date.UTC(2023, 5, 1, 6, 45, 7), toMs: Date.UTC(2023, 5, 1, 8, 15, 7) }]);
  assert.ok(first.observations.some((o) => o.ip === '2001:470:1:908::9001'), 'the expanded 2001:0470:0001:0908:0000:0000:0000:9001 is stored compressed');
});

test('consensus: relays with the Exit flag (not BadExit) by r and a addresses, fingerprints from base64', () => {
  const a = parseTorSource(read('collector-consensuses', '2018-06-01-00-00-00-consensus'), P);
  const b = parseTorSource(read('collector-consensuses', '2018-06-01-01-00-00-consensus'), P);
  assert.equal(a.kind, 'consensus');
  assert.equal(a.rejects.length + b.rejects.length, 0);
  assert.equal(a.observations.length + b.observations.length, 33);
  assert.equal(a.downloadedAtMs, Date.UTC(2018, 5, 1, 0, 0, 0));
  assert.deepEqual(a.coverage, [], 'consensus OR addresses cannot prove an address was not an exit');
  for (const o of a.observations) {
    assert.match(o.fingerprint, /^[0-9A-F]{40}$/);
    assert.equal(o.validToMs - o.validFromMs, 3_600_000);
  }
  assert.ok(a.observations.some((o) => o.ip.includes(':')), 'IPv6 a-line addresses are included');
});

test('Onionoo details excerpt: exit_addresses of the relays, evidence without coverage', () => {
  const d = parseTorSource(read('onionoo', 'details-2021-10-09T14-excerpt.json'), P);
  assert.equal(d.kind, 'onionoo');
  assert.equal(d.observations.length, 1);
  assert.deepEqual(d.coverage, []);
  assert.equal(d.observations[0]!.validToMs - d.observations[0]!.validFromMs, 24 * 3_600_000);
});

const garbage: Array<[string, string, RegExp]> = [
  ['an empty body', '', /empty document/],
  ['whitespace only', '  \n\n', /empty document/],
  ['an HTML error page', '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', /HTML page/],
  ['a rate-limit text page', 'Too Many Requests\nPlease slow down.\n', /not a Tor list/],
  ['a bulk list of mostly junk', '1.2.3.4\nnot-an-ip\nalso junk\nmore junk\n', /invalid lines/],
];
for (const [name, text, re] of garbage) {
  test(`refused: ${name}`, () => {
    assert.throws(() => parseTorSource({ text, source: 'http://127.0.0.1/list', kind: name.includes('bulk') ? 'bulk' : undefined, observedAtMs: 1 }, P), (e: unknown) => e instanceof TorlogsError && e.code === 'tor_source_invalid' && re.test(e.message));
  });
}

test('a good list with a few invalid lines: kept, each bad line counted with its number', () => {
  const d = parseTorSource({ text: '1.2.3.4\n5.6.7.8\nbogus\n9.9.9.9\n', source: 'x', kind: 'bulk', observedAtMs: Date.UTC(2024, 0, 1) }, P);
  assert.equal(d.observations.length, 3);
  assert.deepEqual(d.rejects, [{ line: 3, reason: 'not an IP address', text: 'bogus' }]);
});

test('a bulk list without any time is refused with what to do', () => {
  assert.throws(() => parseTorSource({ text: '1.2.3.4\n', source: 'list.txt', kind: 'bulk' }, P), /--observed-at/);
});
