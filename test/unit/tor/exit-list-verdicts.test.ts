/**
 * Verdicts from the 4 real TorDNSEL lists (2018-11-01 00:02/01:02 and 2018-11-02 00:02/01:02), the 2 consensuses
 * (2018-06-01) and the Onionoo excerpt (2021-10-09). Entries were read by hand (grep -n, see
 * tordnsel-parser.test.ts). IPv4 coverage with the default 6 h per list: 10-31 18:02:01 .. 11-01 01:02:01 and
 * 11-01 18:02:01 .. 11-02 01:02:01 — never T ± 24 h, so with the default policy these lists alone answer `exit`,
 * `near` or `unknown`; a policy with a 1 h coverage window shows `not_exit`.
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

const docs = (d: string) => readdirSync(fixture('tor', d)).sort().map((f) => parseTorSource({ text: readFileSync(fixture('tor', d, f)), source: `${d}/${f}` }, P));
const history = TorHistory.fromDocuments([...docs('collector-exit-lists'), ...docs('collector-consensuses'), ...docs('onionoo')]);
const T = (s: string) => Date.parse(s);
const narrow = torPolicy({ coverageSlackMs: 3_600_000, marginMs: 3_600_000 });

const cases: Array<[string, string, string, string, typeof P]> = [
  // 176.10.104.240: relays 0111BA9B… (scan 10-31 11:10:07) and AD86CD1A… (11:12:49), both LastStatus 11:02:25
  ['176.10.104.240', '2018-10-31T11:11:00Z', 'exit', 'between the two relays\' scans, joined (2 min 42 s apart)', P],
  ['176.10.104.240', '2018-10-31T11:30:00Z', 'near', 'after the last scan; LastStatus was before the scans', P],
  // 185.220.100.254: 6BF913C3… scanned 10-31 03:05:38, LastStatus 21:02:25 → [03:05:38, 21:02:25]
  ['185.220.100.254', '2018-10-31T12:00:00Z', 'exit', 'inside [scan, LastStatus]', P],
  ['185.220.100.254', '2018-10-31T21:02:25Z', 'exit', 'LastStatus (edge)', P],
  ['185.220.100.254', '2018-10-31T21:02:26Z', 'near', '1 s after LastStatus', P],
  // 162.247.74.201: scan 10-31 06:03:23; LastStatus 06:02:24 in the 00:02 list, 11-01 00:02:24 in the 01:02 list
  ['162.247.74.201', '2018-10-31T20:00:00Z', 'exit', 'the later list extends the span to its LastStatus', P],
  ['162.247.74.201', '2018-11-01T00:30:00Z', 'near', 'after the last LastStatus', P],
  ['162.247.74.201', '2018-11-05T00:00:00Z', 'unknown', 'no list covers it', P],
  ['198.51.100.7', '2018-10-31T22:00:00Z', 'unknown', 'never listed, but T ± 24 h is not covered', P],
  ['198.51.100.7', '2018-10-31T22:00:00Z', 'not_exit', 'never listed; T ± 1 h inside the 00:02 list\'s 6 h', narrow],
  ['198.51.100.7', '2018-11-01T10:00:00Z', 'unknown', 'between the two days of lists', narrow],
  ['176.10.104.240', '2018-10-31T12:12:49Z', 'near', 'exactly 1 h after the scan', narrow],
  ['176.10.104.240', '2018-10-31T19:00:00Z', 'unknown', 'beyond 1 h, before the 6 h of the first list', narrow],
  // consensus: tor28bitlab F1721B0E… in the 00:00 consensus only; 162.247.72.201 in both
  ['159.89.160.34', '2018-06-01T00:30:00Z', 'exit', 'OR address of an Exit relay, consensus hour', P],
  ['2400:6180:100:d0::745:4001', '2018-06-01T00:30:00Z', 'exit', 'its a-line IPv6 address', P],
  ['2400:6180:100:0d0:0:0:745:4001', '2018-06-01T00:30:00Z', 'exit', 'the same IPv6 written differently', P],
  ['159.89.160.34', '2018-06-01T01:30:00Z', 'near', 'not in the (cropped) 01:00 consensus', P],
  ['162.247.72.201', '2018-06-01T01:59:59Z', 'exit', 'in both consensuses: [00:00, 02:00]', P],
  ['192.0.2.1', '2018-06-01T00:30:00Z', 'unknown', 'consensuses give no coverage', P],
  // Onionoo: csailmitexit 128.31.0.13 at last_seen 2021-10-09 14:00:00
  ['128.31.0.13', '2021-10-09T14:00:00Z', 'exit', 'exit_addresses at last_seen', P],
  ['128.31.0.13', '2021-10-09T13:00:00Z', 'near', 'an hour before', P],
];
for (const [ip, at, want, why, policy] of cases) {
  test(`${ip} at ${at}: ${want} (${why})${policy === P ? '' : ' [margin 1 h, coverage ± 1 h]'}`, () => {
    const v = verdict(history, ip, T(at), policy);
    assert.equal(v.verdict, want, v.summary);
    assert.equal(VERDICT_NAMES[TorIndex.fromHistory(history, policy).lookup(v.ip, T(at))], want, 'the ingest index agrees');
  });
}

test('evidence for an IP shared by two relays: both fingerprints, the measured strength, each list as a source', () => {
  const v = verdict(history, '176.10.104.240', T('2018-10-31T11:11:00Z'), P);
  assert.equal(v.evidence.strength, 'measured');
  assert.deepEqual(v.evidence.relays, ['0111BA9B604669E636FFD5B503F382A4B7AD6E80', 'AD86CD1A49573D52A7B6F4A35750F161AAD89C88']);
  assert.deepEqual(v.evidence.intervals.map((i) => [i.kind, i.from, i.to, i.observations]), [['exit_scan', '2018-10-31T11:10:07Z', '2018-10-31T11:12:49Z', 4]]);
  assert.deepEqual([...new Set(v.evidence.observations.map((o) => o.source))].sort(), ['collector-exit-lists/2018-11-01-00-02-01', 'collector-exit-lists/2018-11-01-01-02-01']);
});

test('evidence for a consensus-only match says the OR address may not be where it exits', () => {
  const v = verdict(history, '2400:6180:100:d0::745:4001', T('2018-06-01T00:30:00Z'), P);
  assert.equal(v.evidence.strength, 'or_address');
  assert.deepEqual(v.evidence.relays, ['F1721B0E19DE49DB91EAAFA75FA9FA73A0643F37']);
  assert.match(v.summary, /may have exited from another address/);
});

test('IPv6 is never not_exit from IPv4-only exit lists: their coverage is per family', () => {
  const v = verdict(history, '2001:db8::1', T('2018-10-31T22:00:00Z'), narrow);
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.evidence.coverage.history, null);
  assert.match(v.summary, /no exit-list data for IPv6 addresses at all/);
});
