/**
 * Verdicts on the real bulk snapshot series: 92 snapshots 2023-06-01T07:30:07Z .. 2023-06-05T06:30:05Z, hourly at
 * :30, with the hours 06-01 16:30, 06-01 21:30, 06-04 17:30 and 06-04 20:30 missing (ls test/fixtures/tor/bulk-snapshots).
 * Default policy: margin 24 h, `not_exit` needs coverage of T ± 24 h, snapshots join when ≤ 90 min apart and each
 * covers its time ± 45 min. So IPv4/IPv6 coverage is 06-01 06:45:07 .. 07:15:05 on 06-05 with 30-min holes around
 * each missing hour, and `not_exit` is possible only for T in [06-02 21:45:05, 06-03 17:15:05].
 *
 * IPs picked by hand from the files (python: the set of lines per file, then runs of consecutive files), each
 * re-checked with grep:
 *   102.130.113.9          in all 92 files (grep -l -x 102.130.113.9 *.lst | wc -l → 92)
 *   2001:470:1:908::9001   in all 92, written 2001:0470:0001:0908:0000:0000:0000:9001
 *   130.61.184.151         first in 2023-06-03T12-30-06Z.lst (line 166), absent from 11-30-06, then in every file
 *   136.243.17.36          in every file up to 2023-06-02T23-30-05Z.lst, absent from 2023-06-03T00-30-06Z.lst on
 *   45.61.184.38           in 06-03T05-30-05Z and 07-30-05Z, absent from the 06-30-05Z snapshot between them
 *   172.105.245.81         only in 2023-06-01T11-30-05Z.lst
 *   192.0.2.1, 2001:db8::1 documentation addresses, in no file
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseTorSource } from '../../../shared/tor/parse-tor-source.js';
import { TorHistory } from '../../../shared/tor/tor-history.js';
import { TorIndex, VERDICT_NAMES } from '../../../shared/tor/tor-index.js';
import { DEFAULT_TOR_POLICY as P, torPolicy } from '../../../shared/tor/tor-policy.js';
import { verdict } from '../../../shared/tor/verdict.js';
import { fixture } from '../../helpers/fixtures.js';

const dir = fixture('tor', 'bulk-snapshots');
const history = TorHistory.fromDocuments(readdirSync(dir).sort().map((f) => parseTorSource({ text: readFileSync(`${dir}/${f}`), source: `bulk-snapshots/${f}` }, P)));
const index = TorIndex.fromHistory(history, P);
const T = (s: string) => Date.parse(s);

const cases: Array<[string, string, string, string]> = [
  // in every snapshot
  ['102.130.113.9', '2023-06-02T12:00:00Z', 'exit', 'inside 06-01 22:30:05 .. 06-04 16:30:05'],
  ['::ffff:102.130.113.9', '2023-06-02T12:00:00Z', 'exit', 'IPv4-mapped spelling = the IPv4 address'],
  ['102.130.113.9', '2023-06-01T07:30:07Z', 'exit', 'the first snapshot instant (edge)'],
  ['102.130.113.9', '2023-06-01T07:30:06Z', 'near', '1 s before the first snapshot'],
  ['102.130.113.9', '2023-06-05T06:30:05Z', 'exit', 'the last snapshot instant (edge)'],
  ['102.130.113.9', '2023-06-05T06:30:06Z', 'near', '1 s after the last snapshot'],
  ['102.130.113.9', '2023-06-01T16:30:00Z', 'near', 'the missing 16:30 snapshot: 15:30 and 17:30 are 2 h apart > 90 min'],
  ['102.130.113.9', '2023-06-01T00:00:00Z', 'near', 'before history, 7.5 h before the first snapshot'],
  ['102.130.113.9', '2023-05-30T00:00:00Z', 'unknown', 'before history, beyond the margin'],
  ['102.130.113.9', '2023-06-07T00:00:00Z', 'unknown', 'after history, beyond the margin'],
  ['2001:470:1:908::9001', '2023-06-02T12:00:00Z', 'exit', 'IPv6, canonical query'],
  ['2001:0470:0001:0908:0000:0000:0000:9001', '2023-06-02T12:00:00Z', 'exit', 'IPv6, expanded query'],
  // appears mid-series
  ['130.61.184.151', '2023-06-03T12:30:06Z', 'exit', 'first listing (edge)'],
  ['130.61.184.151', '2023-06-03T12:30:05Z', 'near', '1 s before its first listing'],
  ['130.61.184.151', '2023-06-03T11:30:06Z', 'near', 'the snapshot that did not list it, 1 h before'],
  ['130.61.184.151', '2023-06-02T12:30:05Z', 'unknown', '24 h + 1 s before: beyond the margin, T - 24 h lies in the 06-01 gaps'],
  ['130.61.184.151', '2023-06-02T12:30:06Z', 'near', 'exactly 24 h before its first listing (inclusive)'],
  // disappears
  ['136.243.17.36', '2023-06-02T23:30:05Z', 'exit', 'last listing (edge)'],
  ['136.243.17.36', '2023-06-02T23:30:06Z', 'near', '1 s after its last listing'],
  ['136.243.17.36', '2023-06-03T00:30:06Z', 'near', 'the first snapshot without it'],
  ['136.243.17.36', '2023-06-03T23:30:05Z', 'near', 'exactly 24 h after the last listing'],
  ['136.243.17.36', '2023-06-03T23:30:06Z', 'unknown', 'beyond the margin; T + 24 h reaches the 06-04 17:30 gap'],
  ['136.243.17.36', '2023-06-01T21:30:00Z', 'near', 'inside the missing 21:30 hour, 1 h after 20:30 and before 22:30'],
  // absent from one existing snapshot: the interval is not bridged over it
  ['45.61.184.38', '2023-06-03T05:30:05Z', 'exit', 'listed'],
  ['45.61.184.38', '2023-06-03T06:30:05Z', 'near', 'the 06:30 snapshot left it out'],
  ['45.61.184.38', '2023-06-03T07:30:05Z', 'exit', 'listed again'],
  // in one snapshot only
  ['172.105.245.81', '2023-06-01T11:30:05Z', 'exit', 'its only snapshot'],
  ['172.105.245.81', '2023-06-01T11:30:06Z', 'near', '1 s later'],
  // never listed
  ['192.0.2.1', '2023-06-03T06:00:00Z', 'not_exit', 'T ± 24 h fully covered'],
  ['192.0.2.1', '2023-06-02T21:45:05Z', 'not_exit', 'T - 24 h = start of the gapless coverage (edge)'],
  ['192.0.2.1', '2023-06-02T21:45:04Z', 'unknown', '1 s earlier: T - 24 h lies in the 21:30 hole'],
  ['192.0.2.1', '2023-06-03T17:15:05Z', 'not_exit', 'T + 24 h = end of the gapless coverage (edge)'],
  ['192.0.2.1', '2023-06-03T17:15:06Z', 'unknown', '1 s later'],
  ['192.0.2.1', '2023-06-01T16:30:00Z', 'unknown', 'in the missing 16:30 snapshot'],
  ['192.0.2.1', '2023-06-02T12:00:00Z', 'unknown', 'the T ± 24 h window contains the 06-01 holes'],
  ['2001:db8::1', '2023-06-03T06:00:00Z', 'not_exit', 'these lists contain IPv6, so they cover IPv6'],
];
for (const [ip, at, want, why] of cases) {
  test(`${ip} at ${at}: ${want} (${why})`, () => {
    const v = verdict(history, ip, T(at), P);
    assert.equal(v.verdict, want, v.summary);
    assert.equal(VERDICT_NAMES[index.lookup(v.ip, T(at))], want, 'the ingest index agrees');
  });
}

test('exit evidence: the interval, its observations with their files, the strength and the wording', () => {
  const v = verdict(history, '136.243.17.36', T('2023-06-02T12:00:00Z'), P);
  assert.equal(v.ip, '136.243.17.36');
  assert.deepEqual(v.evidence.intervals, [{ kind: 'bulk_snapshot', strength: 'listed', from: '2023-06-01T22:30:05Z', to: '2023-06-02T23:30:05Z', observations: 26, relation: 'contains', distanceMinutes: 0 }]);
  assert.equal(v.evidence.strength, 'listed');
  assert.equal(v.evidence.observationsTotal, 26);
  assert.equal(v.evidence.observations[0]!.source, 'bulk-snapshots/2023-06-02T11-30-05Z.lst', 'nearest to T first');
  assert.deepEqual(v.evidence.seen.lastBefore?.observedAt, '2023-06-02T11:30:05Z');
  assert.deepEqual(v.evidence.seen.firstAfter?.observedAt, '2023-06-02T12:30:05Z');
  assert.match(v.summary, /operator relayed it and is not its origin/);
});

test('near evidence names both neighbours of the hole and that no data covers the instant', () => {
  const v = verdict(history, '102.130.113.9', T('2023-06-01T16:30:00Z'), P);
  // every interval within the 24 h margin, nearest first
  assert.deepEqual(v.evidence.intervals.map((i) => [i.relation, i.from, i.to, i.distanceMinutes]), [
    ['before', '2023-06-01T07:30:07Z', '2023-06-01T15:30:05Z', 60],
    ['after', '2023-06-01T17:30:05Z', '2023-06-01T20:30:06Z', 60],
    ['after', '2023-06-01T22:30:05Z', '2023-06-04T16:30:05Z', 360],
  ]);
  assert.equal(v.evidence.coverage.atT, false);
  assert.match(v.summary, /60 minutes earlier .* and 60 minutes later/);
});

test('unknown names the missing stretches and is not a "no"', () => {
  const v = verdict(history, '192.0.2.1', T('2023-06-02T12:00:00Z'), P);
  assert.deepEqual(v.evidence.coverage.missing, [
    ['2023-06-01T16:15:05Z', '2023-06-01T16:45:05Z'],
    ['2023-06-01T21:15:06Z', '2023-06-01T21:45:05Z'],
  ]);
  assert.deepEqual(v.evidence.coverage.history, ['2023-06-01T06:45:07Z', '2023-06-05T07:15:05Z']);
  assert.match(v.summary, /missing for 2023-06-01T16:15:05Z – 2023-06-01T16:45:05Z, 2023-06-01T21:15:06Z – 2023-06-01T21:45:05Z/);
  assert.match(v.summary, /not a "no"/);
  const before = verdict(history, '192.0.2.1', T('2023-05-20T00:00:00Z'), P);
  assert.deepEqual(before.evidence.coverage.missing, [['2023-05-19T00:00:00Z', '2023-05-21T00:00:00Z']]);
});

test('a narrower policy (margin 1 h, coverage ± 30 min) answers not_exit next to the gaps, still unknown inside them', () => {
  const p = torPolicy({ marginMs: 3_600_000, coverageSlackMs: 1_800_000 });
  const ix = TorIndex.fromHistory(history, p);
  const check = (ip: string, at: string, want: string) => {
    assert.equal(verdict(history, ip, T(at), p).verdict, want, `${ip} ${at}`);
    assert.equal(VERDICT_NAMES[ix.lookup(ip, T(at))], want, `${ip} ${at} (index)`);
  };
  check('192.0.2.1', '2023-06-02T12:00:00Z', 'not_exit');
  check('192.0.2.1', '2023-06-01T16:30:00Z', 'unknown');
  check('192.0.2.1', '2023-06-01T15:45:05Z', 'not_exit'); // T + 30 min = 16:15:05, the end of the 15:30 snapshot's window
  check('192.0.2.1', '2023-06-01T15:45:06Z', 'unknown');
  check('136.243.17.36', '2023-06-03T00:30:05Z', 'near'); // exactly 1 h after its last listing
  check('136.243.17.36', '2023-06-03T00:30:06Z', 'not_exit'); // the first snapshot without it, 1 h 1 s after
  const v = verdict(history, '192.0.2.1', T('2023-06-01T16:30:00Z'), p);
  assert.deepEqual(v.evidence.coverage.missing, [['2023-06-01T16:15:05Z', '2023-06-01T16:45:05Z']]);
});

test('an IP that is not an address is a usage error, not a verdict', () => {
  assert.throws(() => verdict(history, 'example.org', T('2023-06-02T12:00:00Z'), P), /not an IP address/);
});
