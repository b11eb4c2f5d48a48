/**
 * TorDNSEL exit lists on the 4 real CollecTor files (test/fixtures/tor/collector-exit-lists). Expected counts were
 * taken from the files with grep, not from the parser:
 *   grep -c '^ExitAddress' F                                   → observations
 *   grep '^ExitAddress' F | awk '{print $2}' | sort -u | wc -l  → distinct IPs
 * and entries were read by hand (line numbers from `grep -n`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTorSource } from '../../../shared/tor/parse-tor-source.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';
import { fixture } from '../../helpers/fixtures.js';

const read = (name: string) => readFileSync(fixture('tor', 'collector-exit-lists', name), 'utf8');
const parse = (name: string) => parseTorSource({ text: read(name), source: `collector-exit-lists/${name}` }, P);
const H = 3_600_000;

const files: Array<[string, number, number, string]> = [
  // file, ExitAddress lines, distinct IPs, Downloaded
  ['2018-11-01-00-02-01', 934, 869, '2018-11-01T00:02:01Z'],
  ['2018-11-01-01-02-01', 938, 873, '2018-11-01T01:02:01Z'],
  ['2018-11-02-00-02-01', 925, 859, '2018-11-02T00:02:01Z'],
  ['2018-11-02-01-02-01', 929, 862, '2018-11-02T01:02:01Z'],
];
for (const [file, obs, ips, downloaded] of files) {
  test(`TorDNSEL ${file}: ${obs} observations, ${ips} IPs, 0 rejects; IPv4 coverage = the 6 h before Downloaded`, () => {
    const d = parse(file);
    assert.equal(d.kind, 'tordnsel');
    assert.equal(d.observations.length, obs);
    assert.equal(new Set(d.observations.map((o) => o.ip)).size, ips);
    assert.equal(d.rejects.length, 0);
    assert.ok(d.observations.every((o) => o.kind === 'exit_scan' && /^[0-9A-F]{40}$/.test(o.fingerprint)));
    const dl = Date.parse(downloaded);
    assert.equal(d.downloadedAtMs, dl);
    assert.ok(d.observations.every((o) => o.downloadedAtMs === dl));
    // the 2018 lists hold IPv4 only (grep -c 'ExitAddress .*:' = 0): they vouch for nothing about IPv6
    assert.deepEqual(d.coverage, [{ kind: 'exit_scan', family: 4, fromMs: dl - 6 * H, toMs: dl }]);
    assert.match(d.sourceId, /^[0-9a-f]{64}$/);
  });
}

test('first entry (lines 3-6): scan 06:03:23 after LastStatus 06:02:24 → the span is the scan instant', () => {
  const d = parse('2018-11-01-00-02-01');
  assert.deepEqual(d.observations[0], {
    ip: '162.247.74.201', kind: 'exit_scan', fingerprint: '0011BD2485AD45D984EC4159C88FC066E5E3300E',
    observedAtMs: Date.parse('2018-10-31T06:03:23Z'), validFromMs: Date.parse('2018-10-31T06:03:23Z'), validToMs: Date.parse('2018-10-31T06:03:23Z'),
    publishedAtMs: Date.parse('2018-10-31T05:08:21Z'), lastStatusMs: Date.parse('2018-10-31T06:02:24Z'), downloadedAtMs: Date.parse('2018-11-01T00:02:01Z'),
  });
  // the same scan an hour later: LastStatus moved to 2018-11-01 00:02:24, so the span grows to it
  const later = parseTorSource({ text: read('2018-11-01-01-02-01'), source: 'x' }, P).observations.find((o) => o.ip === '162.247.74.201')!;
  assert.equal(later.validToMs, Date.parse('2018-11-01T00:02:24Z'));
});

test('one relay with several IPs (lines 1619-1625): 6BF913C3… exits from 4 addresses; span = [scan, LastStatus]', () => {
  const d = parse('2018-11-01-00-02-01');
  const mine = d.observations.filter((o) => o.fingerprint === '6BF913C31A47E020637121014DB2AFE0877BD31B');
  assert.deepEqual(mine.map((o) => [o.ip, new Date(o.validFromMs).toISOString(), new Date(o.validToMs).toISOString()]), [
    ['185.220.100.254', '2018-10-31T03:05:38.000Z', '2018-10-31T21:02:25.000Z'],
    ['94.31.53.203', '2018-10-31T03:05:38.000Z', '2018-10-31T21:02:25.000Z'],
    ['185.220.101.1', '2018-10-31T21:05:15.000Z', '2018-10-31T21:05:15.000Z'],
    ['193.171.202.150', '2018-10-31T21:05:15.000Z', '2018-10-31T21:05:15.000Z'],
  ]);
});

test('one IP with several relays (lines 19-22 and 2566-2569): 176.10.104.240 exits for 0111BA9B… and AD86CD1A…', () => {
  const d = parse('2018-11-01-00-02-01');
  const relays = d.observations.filter((o) => o.ip === '176.10.104.240').map((o) => o.fingerprint).sort();
  assert.deepEqual(relays, ['0111BA9B604669E636FFD5B503F382A4B7AD6E80', 'AD86CD1A49573D52A7B6F4A35750F161AAD89C88']);
  // 934 ExitAddress lines → 869 IPs: 65 lines repeat an IP already listed for another relay
  const perIp = new Map<string, number>();
  for (const o of d.observations) perIp.set(o.ip, (perIp.get(o.ip) ?? 0) + 1);
  assert.equal([...perIp.values()].filter((n) => n > 1).length, 51);
});

test('a scan older than 24 h before LastStatus counts for 24 h only (ExoneraTor rule)', () => {
  const text = 'ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\nPublished 2018-10-31 05:08:21\nLastStatus 2018-11-02 12:00:00\nExitAddress 162.247.74.201 2018-10-31 06:03:23\n';
  const d = parseTorSource({ text, source: 'exit-addresses', fetchedAtMs: Date.parse('2018-11-02T12:30:00Z') }, P);
  assert.equal(d.observations[0]!.validToMs, Date.parse('2018-11-01T06:03:23Z'));
});

test('the live format (no @type/Downloaded header) takes its time from the fetch; the time is part of the sourceId', () => {
  const live = read('2018-11-01-00-02-01').split('\n').slice(2).join('\n');
  const at = Date.parse('2018-11-01T00:02:01Z');
  const a = parseTorSource({ text: live, source: 'https://check.torproject.org/exit-addresses', fetchedAtMs: at }, P);
  assert.equal(a.kind, 'tordnsel');
  assert.equal(a.observations.length, 934);
  assert.equal(a.downloadedAtMs, at);
  const again = parseTorSource({ text: live, source: 'elsewhere', fetchedAtMs: at }, P);
  const hourLater = parseTorSource({ text: live, source: 'https://check.torproject.org/exit-addresses', fetchedAtMs: at + H }, P);
  assert.equal(again.sourceId, a.sourceId, 're-importing the same fetch is detected');
  assert.notEqual(hourLater.sourceId, a.sourceId, 'the same bytes fetched an hour later are a new observation');
  assert.throws(() => parseTorSource({ text: live, source: 'https://check.torproject.org/exit-addresses' }, P), /without a Downloaded time/);
});

test('bad lines are rejected with their line numbers; the rest of the list is kept', () => {
  const lines = read('2018-11-01-00-02-01').split('\n');
  lines[5] = 'ExitAddress 300.1.2.3 2018-10-31 06:03:23'; // line 6: the only address of the first entry
  lines[8] = 'LastStatus yesterday'; // line 9
  lines.splice(12, 0, 'Nonsense here'); // new line 13
  const d = parseTorSource({ text: lines.join('\n'), source: 'edited' }, P);
  assert.equal(d.observations.length, 933);
  assert.deepEqual(
    d.rejects.map((r) => [r.line, r.reason]),
    [
      [3, 'entry of 0011BD2485AD45D984EC4159C88FC066E5E3300E has no ExitAddress line'],
      [6, 'ExitAddress is not an IP address'],
      [9, 'LastStatus time is not YYYY-MM-DD HH:MM:SS'],
      [13, 'unknown keyword "Nonsense"'],
    ],
  );
  // the second entry lost its LastStatus: its scan counts for the scan instant only
  const second = d.observations.find((o) => o.fingerprint === '0077BCBA7244DB3E6A5ED2746E86170066684887')!;
  assert.equal(second.lastStatusMs, 0);
  assert.equal(second.validToMs, second.validFromMs);
});

test('CRLF line ends parse the same', () => {
  const crlf = parseTorSource({ text: read('2018-11-02-01-02-01').replace(/\n/g, '\r\n'), source: 'crlf' }, P);
  assert.equal(crlf.observations.length, 929);
  assert.equal(crlf.rejects.length, 0);
});
