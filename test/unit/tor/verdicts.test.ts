/**
 * Verdicts on the real bulk snapshot series (92 snapshots, 2023-06-01T07:30 .. 2023-06-05T06:30, gaps at
 * 06-01 16:30, 06-01 21:30, 06-04 17:30, 06-04 20:30). The IPs were picked by hand with a script over the files
 * (python: the sets of lines per file): 102.130.113.9 is in every snapshot; 130.61.184.151 first appears in
 * 2023-06-03T12-30-06Z.lst (absent in 11-30-06) and stays; 136.243.17.36 is last in 2023-06-02T23-30-05Z.lst.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixtureDocs, memoryHistory } from '../../helpers/tor-history.js';

const h = memoryHistory(loadFixtureDocs(['bulk-snapshots']));
const T = (s: string) => Date.parse(s);

const cases: Array<[string, string, string, string]> = [
  ['in every snapshot', '102.130.113.9', '2023-06-02T12:00:00Z', 'exit'],
  ['in every snapshot, IPv4-mapped spelling', '::ffff:102.130.113.9', '2023-06-02T12:00:00Z', 'exit'],
  ['in every snapshot, inside the missing 16:30 snapshot', '102.130.113.9', '2023-06-01T16:30:00Z', 'near'],
  ['first snapshot edge: 45 min before 07:30:07 is inside', '102.130.113.9', '2023-06-01T06:45:07Z', 'exit'],
  ['before history, within the 24 h margin', '102.130.113.9', '2023-06-01T00:00:00Z', 'near'],
  ['before history, beyond the margin', '102.130.113.9', '2023-05-30T00:00:00Z', 'unknown'],
  ['after history, beyond the margin', '102.130.113.9', '2023-06-07T00:00:00Z', 'unknown'],
  ['appears mid-series: inside', '130.61.184.151', '2023-06-03T12:30:06Z', 'exit'],
  ['appears mid-series: 45 min before its first snapshot window', '130.61.184.151', '2023-06-03T11:00:00Z', 'near'],
  ['appears mid-series: 30 h before, covered', '130.61.184.151', '2023-06-02T06:30:00Z', 'not_exit'],
  ['disappears: last snapshot', '136.243.17.36', '2023-06-02T23:30:05Z', 'exit'],
  ['disappears: window end 00:15:05', '136.243.17.36', '2023-06-03T00:15:05Z', 'exit'],
  ['disappears: one second later', '136.243.17.36', '2023-06-03T00:15:06Z', 'near'],
  ['disappears: 30 h later, covered', '136.243.17.36', '2023-06-04T06:30:00Z', 'not_exit'],
  ['disappears: in the 06-04 17:30 gap, far from it', '136.243.17.36', '2023-06-04T17:30:00Z', 'unknown'],
  ['IPv6 exit written expanded in the files', '2001:470:1:908::9001', '2023-06-02T12:00:00Z', 'exit'],
  ['IPv6, expanded spelling of the query', '2001:0470:0001:0908:0000:0000:0000:9001', '2023-06-02T12:00:00Z', 'exit'],
  ['never an exit, covered', '192.0.2.1', '2023-06-02T12:00:00Z', 'not_exit'],
  ['never an exit, in a coverage gap', '192.0.2.1', '2023-06-01T16:30:00Z', 'unknown'],
];
for (const [name, ip, at, want] of cases) {
  test(`${ip} at ${at} (${name}): ${want}`, () => {
    const v = h.verdict(ip, T(at));
    assert.equal(v.verdict, want, v.summary);
    const names = ['unknown', 'exit', 'near', 'not_exit'];
    assert.equal(names[h.index.code(v.ip, T(at))], want, 'the ingest index agrees');
  });
}

test('exit evidence names the interval, observations and kinds; the wording says the owner relayed it', () => {
  const v = h.verdict('136.243.17.36', T('2023-06-02T12:00:00Z'));
  assert.equal(v.verdict, 'exit');
  assert.equal(v.evidence.interval!.from, '2023-06-01T21:45:05Z'); // after the missing 21:30 snapshot
  assert.equal(v.evidence.interval!.to, '2023-06-03T00:15:05Z');
  assert.deepEqual(v.evidence.kinds, ['bulk_snapshot']);
  assert.ok(v.evidence.observations.length > 0 && v.evidence.observations.length <= 50);
  assert.match(v.summary, /relayed it and is not its origin/);
});

test('unknown says what data is missing and that it is not a no', () => {
  const v = h.verdict('192.0.2.1', T('2023-06-01T16:30:00Z'));
  assert.equal(v.verdict, 'unknown');
  assert.deepEqual(v.evidence.coverage.gap, ['2023-06-01T16:15:05Z', '2023-06-01T16:45:05Z']);
  assert.match(v.summary, /gap from 2023-06-01T16:15:05Z to 2023-06-01T16:45:05Z/);
  assert.match(v.summary, /not a "no"/);
});

test('the index and the evidence-carrying verdict agree on a grid of 20,000 (ip, time) pairs', () => {
  const ips = ['102.130.113.9', '130.61.184.151', '136.243.17.36', '192.0.2.1', '2001:470:1:908::9001', '185.220.101.1'];
  const start = T('2023-05-30T00:00:00Z');
  let n = 0;
  for (let i = 0; i < 20_000; i++) {
    const ip = ips[i % ips.length]!;
    const t = start + ((i * 7919 * 60_000) % (9 * 24 * 3_600_000));
    assert.equal(['unknown', 'exit', 'near', 'not_exit'][h.index.code(ip, t)], h.verdict(ip, t).verdict, `${ip} ${new Date(t).toISOString()}`);
    n++;
  }
  assert.equal(n, 20_000);
});
