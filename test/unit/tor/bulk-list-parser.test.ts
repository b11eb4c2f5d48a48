/**
 * Bulk exit-list snapshots (test/fixtures/tor/bulk-snapshots, 92 real files). The expected counts per file were
 * computed independently of the parser with Python's ipaddress module (distinct addresses by version; no file has
 * a duplicate or an invalid line):
 *   python3 -c "import ipaddress,sys; s={ipaddress.ip_address(l.strip()) for l in open(sys.argv[1]) if l.strip()};
 *               print(sum(a.version==4 for a in s), sum(a.version==6 for a in s))" FILE
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseTorSource } from '../../../shared/tor/parse-tor-source.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';
import { fixture } from '../../helpers/fixtures.js';

const dir = fixture('tor', 'bulk-snapshots');
const read = (f: string) => readFileSync(`${dir}/${f}`, 'utf8');

// [snapshot, IPv4, IPv6]; file name = `${snapshot}-SSZ.lst`
const counts: Array<[string, number, number]> = [
  ['2023-06-01T07-30', 1359, 830], ['2023-06-01T08-30', 1359, 829], ['2023-06-01T09-30', 1359, 829], ['2023-06-01T10-30', 1356, 827],
  ['2023-06-01T11-30', 1357, 828], ['2023-06-01T12-30', 1360, 830], ['2023-06-01T13-30', 1360, 830], ['2023-06-01T14-30', 1360, 831],
  ['2023-06-01T15-30', 1360, 830], ['2023-06-01T17-30', 1361, 829], ['2023-06-01T18-30', 1360, 829], ['2023-06-01T19-30', 1362, 832],
  ['2023-06-01T20-30', 1362, 829], ['2023-06-01T22-30', 1354, 829], ['2023-06-01T23-30', 1354, 830], ['2023-06-02T00-30', 1364, 831],
  ['2023-06-02T01-30', 1368, 834], ['2023-06-02T02-30', 1366, 833], ['2023-06-02T03-30', 1368, 836], ['2023-06-02T04-30', 1368, 833],
  ['2023-06-02T05-30', 1366, 831], ['2023-06-02T06-30', 1368, 833], ['2023-06-02T07-30', 1367, 834], ['2023-06-02T08-30', 1366, 833],
  ['2023-06-02T09-30', 1362, 830], ['2023-06-02T10-30', 1363, 833], ['2023-06-02T11-30', 1362, 831], ['2023-06-02T12-30', 1362, 832],
  ['2023-06-02T13-30', 1363, 832], ['2023-06-02T14-30', 1362, 828], ['2023-06-02T15-30', 1364, 830], ['2023-06-02T16-30', 1362, 831],
  ['2023-06-02T17-30', 1360, 828], ['2023-06-02T18-30', 1361, 828], ['2023-06-02T19-30', 1362, 830], ['2023-06-02T20-30', 1362, 830],
  ['2023-06-02T21-30', 1363, 829], ['2023-06-02T22-30', 1361, 829], ['2023-06-02T23-30', 1362, 830], ['2023-06-03T00-30', 1361, 829],
  ['2023-06-03T01-30', 1365, 832], ['2023-06-03T02-30', 1365, 834], ['2023-06-03T03-30', 1363, 831], ['2023-06-03T04-30', 1363, 832],
  ['2023-06-03T05-30', 1358, 829], ['2023-06-03T06-30', 1347, 824], ['2023-06-03T07-30', 1363, 832], ['2023-06-03T08-30', 1361, 829],
  ['2023-06-03T09-30', 1357, 827], ['2023-06-03T10-30', 1359, 828], ['2023-06-03T11-30', 1356, 826], ['2023-06-03T12-30', 1361, 830],
  ['2023-06-03T13-30', 1362, 830], ['2023-06-03T14-30', 1362, 829], ['2023-06-03T15-30', 1361, 828], ['2023-06-03T16-30', 1363, 829],
  ['2023-06-03T17-30', 1362, 827], ['2023-06-03T18-30', 1362, 827], ['2023-06-03T19-30', 1362, 827], ['2023-06-03T20-30', 1362, 826],
  ['2023-06-03T21-30', 1359, 824], ['2023-06-03T22-30', 1363, 830], ['2023-06-03T23-30', 1364, 831], ['2023-06-04T00-30', 1362, 828],
  ['2023-06-04T01-30', 1368, 832], ['2023-06-04T02-30', 1366, 831], ['2023-06-04T03-30', 1372, 837], ['2023-06-04T04-30', 1371, 835],
  ['2023-06-04T05-30', 1370, 834], ['2023-06-04T06-30', 1372, 837], ['2023-06-04T07-30', 1368, 833], ['2023-06-04T08-30', 1364, 832],
  ['2023-06-04T09-30', 1364, 829], ['2023-06-04T10-30', 1366, 833], ['2023-06-04T11-30', 1364, 832], ['2023-06-04T12-30', 1361, 831],
  ['2023-06-04T13-30', 1361, 830], ['2023-06-04T14-30', 1360, 827], ['2023-06-04T15-30', 1361, 829], ['2023-06-04T16-30', 1362, 829],
  ['2023-06-04T18-30', 1366, 831], ['2023-06-04T19-30', 1364, 830], ['2023-06-04T21-30', 1360, 828], ['2023-06-04T22-30', 1364, 828],
  ['2023-06-04T23-30', 1368, 833], ['2023-06-05T00-30', 1362, 826], ['2023-06-05T01-30', 1362, 827], ['2023-06-05T02-30', 1370, 835],
  ['2023-06-05T03-30', 1369, 834], ['2023-06-05T04-30', 1368, 835], ['2023-06-05T05-30', 1364, 829], ['2023-06-05T06-30', 1367, 830],
];

test('92 snapshots; the hours 06-01 16:30, 06-01 21:30, 06-04 17:30 and 06-04 20:30 are missing from the series', () => {
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 92);
  assert.deepEqual(files.map((f) => f.slice(0, 16)), counts.map((c) => c[0]));
});

test('every snapshot: IPv4 and IPv6 counts, 0 rejects, time from the file name, coverage ±45 min per family', () => {
  const files = readdirSync(dir).sort();
  let total = 0;
  for (const [i, f] of files.entries()) {
    const [, v4, v6] = counts[i]!;
    const d = parseTorSource({ text: read(f), source: `bulk-snapshots/${f}` }, P);
    const s = Date.parse(`${f.slice(0, 13)}:${f.slice(14, 16)}:${f.slice(17, 19)}Z`);
    assert.equal(d.kind, 'bulk', f);
    assert.equal(d.observations.filter((o) => !o.ip.includes(':')).length, v4, f);
    assert.equal(d.observations.filter((o) => o.ip.includes(':')).length, v6, f);
    assert.equal(new Set(d.observations.map((o) => o.ip)).size, v4 + v6, f);
    assert.equal(d.rejects.length, 0, f);
    assert.equal(d.downloadedAtMs, s, f);
    assert.ok(d.observations.every((o) => o.kind === 'bulk_snapshot' && o.validFromMs === s && o.validToMs === s && o.fingerprint === ''));
    const w = 45 * 60_000;
    assert.deepEqual(d.coverage, [{ kind: 'bulk_snapshot', family: 4, fromMs: s - w, toMs: s + w }, { kind: 'bulk_snapshot', family: 6, fromMs: s - w, toMs: s + w }], f);
    total += d.observations.length;
  }
  assert.equal(total, 201_759);
});

test('IPv6 written fully expanded (line 887 of the first snapshot) is stored in RFC 5952 form', () => {
  const f = '2023-06-01T07-30-07Z.lst';
  assert.equal(read(f).split('\n')[886], '2001:0470:0001:0908:0000:0000:0000:9001');
  const d = parseTorSource({ text: read(f), source: f }, P);
  assert.ok(d.observations.some((o) => o.ip === '2001:470:1:908::9001'));
  assert.ok(!d.observations.some((o) => /(^|:)0[0-9a-f]/.test(o.ip)), 'no zero-padded group survives');
});

test('a list with only IPv4 (like torbulkexitlist) covers IPv4 only', () => {
  const v4only = read('2023-06-01T07-30-07Z.lst').split('\n').filter((l) => !l.includes(':')).join('\n');
  const d = parseTorSource({ text: v4only, source: 'https://check.torproject.org/torbulkexitlist', kind: 'bulk', observedAtMs: Date.parse('2023-06-01T07:30:07Z') }, P);
  assert.equal(d.observations.length, 1359);
  assert.deepEqual(d.coverage.map((c) => c.family), [4]);
});

test('invalid lines are counted with their numbers; duplicates and # comments are not entries', () => {
  const lines = read('2023-06-01T07-30-07Z.lst').split('\n');
  lines.splice(10, 0, 'not-an-ip'); // line 11
  lines.splice(0, 0, '# fetched from somewhere'); // line 1; the bad line moves to 12
  lines.push('1.2.3', '102.130.113.9'); // a truncated address and a duplicate
  const text = lines.join('\n');
  const d = parseTorSource({ text, source: 'edited-2023-06-01T07-30-07Z.lst' }, P);
  assert.equal(d.observations.length, 2189);
  const last = text.split('\n').length;
  assert.deepEqual(d.rejects, [
    { line: 12, reason: 'not an IP address', text: 'not-an-ip' },
    { line: last - 1, reason: 'not an IP address', text: '1.2.3' },
  ]);
});

test('the snapshot time is part of the sourceId: an unchanged list fetched later is a new snapshot', () => {
  const text = read('2023-06-01T07-30-07Z.lst');
  const a = parseTorSource({ text, source: 'a/2023-06-01T07-30-07Z.lst' }, P);
  const b = parseTorSource({ text, source: 'b/2023-06-01T07-30-07Z.lst' }, P);
  const c = parseTorSource({ text, source: 'list', kind: 'bulk', observedAtMs: Date.parse('2023-06-01T08:30:07Z') }, P);
  assert.equal(a.sourceId, b.sourceId);
  assert.notEqual(a.sourceId, c.sourceId);
  assert.equal(parseTorSource({ text: Buffer.from(text), source: 'a/2023-06-01T07-30-07Z.lst' }, P).sourceId, a.sourceId, 'Buffer input');
});

test('a bulk list without any time is refused with what to do', () => {
  assert.throws(() => parseTorSource({ text: '1.2.3.4\n', source: 'list.txt' }, P), /--observed-at or name the file/);
});
