/**
 * The ingest index must give exactly the verdict of verdict() (the evidence-carrying rules) for every (ip, time):
 * checked on a deterministic grid over all real fixtures together and three policies. Plus the holder's swap rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseTorSource } from '../../../shared/tor/parse-tor-source.js';
import { TorHistory, exitIntervals } from '../../../shared/tor/tor-history.js';
import { TorIndex, VERDICT_NAMES } from '../../../shared/tor/tor-index.js';
import { TorIndexHolder } from '../../../shared/tor/tor-index-holder.js';
import { DEFAULT_TOR_POLICY as P, torPolicy, type TorPolicy } from '../../../shared/tor/tor-policy.js';
import { verdict } from '../../../shared/tor/verdict.js';
import { fixture } from '../../helpers/fixtures.js';

const dirs = ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'];
const docs = dirs.flatMap((d) => readdirSync(fixture('tor', d)).sort().map((f) => parseTorSource({ text: readFileSync(fixture('tor', d, f)), source: `${d}/${f}` }, P)));
const history = TorHistory.fromDocuments(docs);

test('the history holds every fixture document once; adding one again changes nothing', () => {
  assert.equal(history.version, 92 + 4 + 2 + 1);
  assert.equal(history.observations, 201_759 + 934 + 938 + 925 + 929 + 27 + 6 + 2);
  assert.equal(history.add(docs[0]!), false);
  assert.equal(history.version, 99);
});

const policies: Array<[string, TorPolicy]> = [
  ['default', P],
  ['margin 1 h, coverage ± 1 h', torPolicy({ marginMs: 3_600_000, coverageSlackMs: 3_600_000 })],
  ['margin 0, coverage ± 0, bulk gap 3 h', torPolicy({ marginMs: 0, coverageSlackMs: 0, maxGapMs: { bulk_snapshot: 3 * 3_600_000 } })],
];
const ips = ['102.130.113.9', '130.61.184.151', '136.243.17.36', '45.61.184.38', '172.105.245.81', '2001:470:1:908::9001', '176.10.104.240', '185.220.100.254', '162.247.74.201', '159.89.160.34', '2400:6180:100:d0::745:4001', '128.31.0.13', '192.0.2.1', '2001:db8::1'];
const windows = [
  [Date.parse('2023-05-31T00:00:00Z'), 6 * 86_400_000],
  [Date.parse('2018-10-30T00:00:00Z'), 4 * 86_400_000],
  [Date.parse('2018-05-31T12:00:00Z'), 86_400_000],
  [Date.parse('2021-10-08T12:00:00Z'), 86_400_000],
] as const;

for (const [name, policy] of policies) {
  test(`index and verdict() agree on 24,000 (ip, time) pairs, policy: ${name}`, () => {
    const index = TorIndex.fromHistory(history, policy);
    const seen = new Map<string, number>();
    for (let i = 0; i < 24_000; i++) {
      const ip = ips[i % ips.length]!;
      const [from, span] = windows[i % windows.length]!;
      const t = from + ((i * 7_919_000 + (i % 7) * 1000) % span); // ~2 h steps plus second offsets
      const want = verdict(history, ip, t, policy).verdict;
      assert.equal(VERDICT_NAMES[index.lookup(ip, t)], want, `${ip} ${new Date(t).toISOString()}`);
      seen.set(want, (seen.get(want) ?? 0) + 1);
    }
    assert.equal([...seen.values()].reduce((a, b) => a + b, 0), 24_000);
    assert.ok(seen.size >= 3, `several verdicts occur: ${JSON.stringify(Object.fromEntries(seen))}`);
  });
}

test('every interval edge and the instants 1 ms around it agree too', () => {
  const index = TorIndex.fromHistory(history, P);
  let n = 0;
  for (const ip of ['102.130.113.9', '136.243.17.36', '176.10.104.240', '162.247.72.201']) {
    for (const iv of exitIntervals(history.observationsOf(ip), P)) {
      for (const edge of [iv.fromMs, iv.toMs, iv.fromMs - P.marginMs, iv.toMs + P.marginMs]) {
        for (const t of [edge - 1, edge, edge + 1]) {
          assert.equal(VERDICT_NAMES[index.lookup(ip, t)], verdict(history, ip, t, P).verdict, `${ip} ${t}`);
          n++;
        }
      }
    }
  }
  // intervals: 5 + 3 bulk; 176.10.104.240: 2 exit-scan + 1 consensus (it is in the 01:00 consensus); 162.247.72.201: 1
  assert.equal(n, 12 * (5 + 3 + 3 + 1));
});

test('the legacy constructor input (merged intervals, coverage without family) gives the same lookups', () => {
  const exits = new Map([...history.ips()].map((ip) => [ip, exitIntervals(history.observationsOf(ip), P)] as const));
  const a = new TorIndex({ exits, coverage: history.coverage, policy: P, version: 7 });
  const b = TorIndex.fromHistory(history, P);
  for (let i = 0; i < 2000; i++) {
    const t = Date.parse('2023-06-01T00:00:00Z') + i * 217_000;
    assert.equal(a.lookup('102.130.113.9', t), b.lookup('102.130.113.9', t));
    assert.equal(a.code('192.0.2.1', t), b.lookup('192.0.2.1', t));
  }
  assert.equal(a.version, 7);
  assert.equal(b.version, 99);
  assert.equal(a.ips, history.ipCount);
});

test('holder: unknown before any index, swaps only newer versions, readers see one version at a time', async () => {
  const holder = new TorIndexHolder();
  const t = Date.parse('2023-06-02T12:00:00Z');
  assert.equal(holder.current.lookup('102.130.113.9', t), 0, 'no history yet: unknown, never not_exit');
  assert.equal(holder.version, 0);
  const small = TorHistory.fromDocuments(docs.slice(0, 10));
  const v1 = TorIndex.fromHistory(small, P);
  const v2 = TorIndex.fromHistory(history, P);
  assert.equal(holder.swap(v1), true);
  const batch = holder.current; // a batch keeps the index it started with
  assert.equal(await holder.rebuild(() => v2), true);
  assert.equal(holder.swap(v1), false, 'an older index never replaces a newer one');
  assert.equal(holder.current, v2);
  assert.equal(batch.version, 10);
  assert.equal(holder.version, 99);
  assert.equal(holder.generation, 2);
  assert.equal(VERDICT_NAMES[holder.current.lookup('102.130.113.9', t)], 'exit');
});
