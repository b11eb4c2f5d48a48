/**
 * Retrospective checks on the real fixture history (every test/fixtures/tor folder imported into an embedded store)
 * and hand-written requests (test/unit/checks/fixture-store.ts): verdicts with relays, the IPv6/IPv4-mapped forms,
 * activity counted exactly, geo at the time, and the `torlogs check` command (one item, CSV batch with bad rows).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckItem, type CheckItem } from '../../shared/checks/check-item.js';
import { runChecks, type CheckResult } from '../../shared/checks/run-checks.js';
import { createGeoEnricher } from '../../shared/geo/geo-enricher.js';
import { torPolicy } from '../../shared/tor/tor-policy.js';
import { runTorlogs } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { openFixtureStore, type FixtureStore } from '../unit/checks/fixture-store.js';

let fx: FixtureStore;
before(async () => {
  fx = await openFixtureStore();
});
after(async () => {
  await fx.store.close().catch(() => undefined);
  rmSync(fx.dir, { recursive: true, force: true });
});

function item(ip: string, time: string, site?: string): CheckItem {
  const r = parseCheckItem({ ip, time, site });
  if (!r.ok) throw new Error(r.error.message);
  return r.item;
}

const RELAYS_176 = ['0111BA9B604669E636FFD5B503F382A4B7AD6E80', 'AD86CD1A49573D52A7B6F4A35750F161AAD89C88'];
const narrow = torPolicy({ marginMs: 3_600_000, coverageSlackMs: 3_600_000 });

test('acceptance: exit inside the observed interval with the right relays, not_exit outside it, unknown without coverage, IPv6 and IPv4-mapped forms', async () => {
  const cases: Array<[string, string, string, string[] | null, typeof narrow | undefined, string]> = [
    ['176.10.104.240', '2018-10-31T11:11:00Z', 'exit', RELAYS_176, undefined, 'between the two relays\' scans (TorDNSEL lists)'],
    ['::ffff:176.10.104.240', '2018-10-31T12:11:00+01:00', 'exit', RELAYS_176, undefined, 'IPv4-mapped spelling and an offset'],
    ['::ffff:b00a:68f0', '2018-10-31T11:11:00Z', 'exit', RELAYS_176, undefined, 'IPv4-mapped in hex groups'],
    ['176.10.104.240', '2018-10-31T22:00:00Z', 'not_exit', null, narrow, '11 h after its interval, T ± 1 h inside the 00:02 list\'s coverage'],
    ['136.243.17.36', '2023-06-02T12:00:00Z', 'exit', [], undefined, 'bulk snapshots 06-01 22:30:05 .. 06-02 23:30:05'],
    ['136.243.17.36', '2023-06-03T06:00:00Z', 'not_exit', null, narrow, '6.5 h after its last listing, inside gapless coverage'],
    ['192.0.2.1', '2023-06-03T06:00:00Z', 'not_exit', null, undefined, 'never listed, T ± 24 h covered'],
    ['192.0.2.1', '2020-01-01T00:00:00Z', 'unknown', null, undefined, 'no Tor data covers 2020'],
    ['176.10.104.240', '2019-06-01T00:00:00Z', 'unknown', null, undefined, 'an exit address at a time without coverage'],
    ['2001:470:1:908::9001', '2023-06-02T12:00:00Z', 'exit', [], undefined, 'IPv6 exit (bulk lists hold it fully expanded)'],
    ['2001:0470:0001:0908:0000:0000:0000:9001', '2023-06-02T12:00:00Z', 'exit', [], undefined, 'the same IPv6, expanded'],
    ['2001:470:1:908::9001', '2023-06-07T00:00:00Z', 'unknown', null, undefined, 'IPv6 after the history'],
    ['2400:6180:100:d0::745:4001', '2018-06-01T00:30:00Z', 'exit', ['F1721B0E19DE49DB91EAAFA75FA9FA73A0643F37'], undefined, 'IPv6 OR address from a consensus a-line'],
  ];
  for (const [ip, at, want, relays, policy, why] of cases) {
    const [r] = await runChecks({ store: fx.store, policy }, [item(ip, at)]);
    assert.equal(r!.verdict, want, `${ip} at ${at} (${why}): ${r!.summary}`);
    if (relays) assert.deepEqual(r!.evidence.relays, relays, `${ip} relays`);
  }
});

test('one batch answers like single checks, in order; plain and mapped/expanded forms give the same verdict and evidence', async () => {
  const items = [item('176.10.104.240', '2018-10-31T11:11:00Z'), item('::ffff:176.10.104.240', '2018-10-31T11:11:00Z'), item('2001:470:1:908::9001', '2023-06-02T12:00:00Z'), item('2001:0470:0001:0908::9001', '2023-06-02T12:00:00Z'), item('192.0.2.1', '2020-01-01T00:00:00Z')];
  const batch = await runChecks({ store: fx.store }, items);
  assert.deepEqual(batch.map((r) => r.verdict), ['exit', 'exit', 'exit', 'exit', 'unknown']);
  assert.deepEqual(batch[1]!.evidence, batch[0]!.evidence);
  assert.equal(batch[1]!.ip, '176.10.104.240');
  assert.equal(batch[1]!.input, '::ffff:176.10.104.240');
  assert.deepEqual(batch[3]!.evidence, batch[2]!.evidence);
  for (const [k, it] of items.entries()) {
    const [single] = await runChecks({ store: fx.store }, [it]);
    assert.deepEqual(single, batch[k]);
  }
});

test('wording: exit says the owner relayed it and is not its origin; unknown names the missing data and is not a "no"', async () => {
  const [exit, unknown] = await runChecks({ store: fx.store }, [item('176.10.104.240', '2018-10-31T11:11:00Z'), item('192.0.2.1', '2023-06-02T12:00:00Z')]);
  assert.match(exit!.summary, /was a Tor exit at 2018-10-31T11:11:00Z/);
  assert.match(exit!.summary, /operator relayed it and is not its origin/);
  assert.equal(unknown!.verdict, 'unknown');
  assert.match(unknown!.summary, /missing for 2023-06-01T16:15:05Z – 2023-06-01T16:45:05Z, 2023-06-01T21:15:06Z – 2023-06-01T21:45:05Z/);
  assert.match(unknown!.summary, /not a "no"/);
});

test('activity in the window, counted exactly: per site, without a site, narrower windows', async () => {
  const [shop, all, narrowWin, none] = await runChecks({ store: fx.store }, [
    item('136.243.17.36', '2023-06-02T12:00:00Z', 'shop.example'),
    item('136.243.17.36', '2023-06-02T12:00:00Z'),
    item('136.243.17.36', '2023-06-02T12:00:00Z', 'shop.example'),
    item('136.243.17.36', '2023-06-02T12:00:00Z', "shop.example'--"),
  ]);
  assert.deepEqual(shop!.activity, {
    window: { from: '2023-06-02T11:00:00Z', to: '2023-06-02T13:00:00Z' }, requests: 4, firstRequest: '2023-06-02T11:50:00Z', lastRequest: '2023-06-02T12:10:00Z',
    topPaths: [{ path: '/login', requests: 3 }, { path: '/cart', requests: 1 }],
    statuses: [{ status: 200, requests: 2 }, { status: 401, requests: 2 }],
    sites: [{ site: 'shop.example', requests: 4 }],
  });
  assert.equal(all!.activity.requests, 5);
  assert.deepEqual(all!.activity.sites, [{ site: 'shop.example', requests: 4 }, { site: 'blog.example', requests: 1 }]);
  assert.equal(narrowWin!.activity.requests, 4);
  assert.equal(none!.activity.requests, 0, 'a quote in the site is a value, not SQL');
  const [w5] = await runChecks({ store: fx.store }, [item('136.243.17.36', '2023-06-02T12:00:00Z', 'shop.example')], { windowMs: 5 * 60_000 });
  assert.deepEqual([w5!.activity.requests, w5!.activity.firstRequest, w5!.activity.lastRequest], [2, '2023-06-02T11:55:00Z', '2023-06-02T12:00:00Z']);
});

test('geo and ASN at the time: stored with the nearest request, else the current database (said which), else none', async () => {
  const geo = createGeoEnricher({ cityDbPath: fixture('mmdb', 'GeoIP2-City-Test.mmdb'), asnDbPath: fixture('mmdb', 'GeoLite2-ASN-Test.mmdb'), watch: false });
  try {
    const [stored, current, nothing] = await runChecks({ store: fx.store, geo }, [item('136.243.17.36', '2023-06-02T12:14:00Z'), item('81.2.69.142', '2023-06-02T12:00:00Z'), item('192.0.2.1', '2023-06-03T06:00:00Z')]);
    assert.deepEqual([stored!.geo.country, stored!.geo.city, stored!.geo.source, stored!.geo.at, stored!.asn], ['DE', 'Falkenstein', 'requests', '2023-06-02T12:10:00Z', { number: 24940, organization: 'Hetzner Online GmbH', source: 'requests' }]);
    assert.deepEqual([current!.geo.country, current!.geo.city, current!.geo.source, current!.geo.databaseBuild], ['GB', 'London', 'current_database', '2026-02-04T22:49:29Z']);
    assert.match(current!.geo.note, /may differ from the allocation at the time/);
    assert.equal(nothing!.geo.source, 'current_database', 'stored rows without geo fall back to the database');
  } finally {
    geo.close();
  }
  const [noDb] = await runChecks({ store: fx.store }, [item('81.2.69.142', '2023-06-02T12:00:00Z')]);
  assert.deepEqual([noDb!.geo.source, noDb!.asn.number], ['none', 0]);
});

test('torlogs check: one item as JSON and text, a CSV batch with bad rows reported by line and field (exit 1), --out csv/json', async () => {
  await fx.store.close();
  const env = { TORLOGS_DATA_DIR: fx.dir };
  const one = await runTorlogs(['check', '176.10.104.240', '--at', 'Wed, 31 Oct 2018 11:11:00 +0000', '--json'], env);
  assert.equal(one.code, 0, one.stderr);
  const r = JSON.parse(one.stdout) as CheckResult;
  assert.deepEqual([r.ip, r.at, r.verdict, r.evidence.relays], ['176.10.104.240', '2018-10-31T11:11:00Z', 'exit', RELAYS_176]);

  const text = await runTorlogs(['check', '136.243.17.36', '--at', '2023-06-02T12:00:00Z', '--site', 'shop.example'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^136\.243\.17\.36 at 2023-06-02T12:00:00Z on shop\.example: exit$/m);
  assert.match(text.stdout, /activity 2023-06-02T11:00:00Z – 2023-06-02T13:00:00Z: 4 requests/);
  assert.match(text.stdout, /top paths: \/login \(3\), \/cart \(1\)/);

  const ambiguous = await runTorlogs(['check', '1.2.3.4', '--at', '2023-06-02 12:00:00'], env);
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /--at: time: "2023-06-02 12:00:00": no UTC offset, so the time is ambiguous/);

  const csv = join(fx.dir, 'reports.csv');
  writeFileSync(csv, 'ip,time,site\n176.10.104.240,2018-10-31T11:11:00Z,\n136.243.17.36,"Fri, 02 Jun 2023 14:00:00 +0200",shop.example\nnot-an-ip,2018-10-31T11:11:00Z,\n192.0.2.1,2023-06-03T06:00:00,\n');
  const outCsv = join(fx.dir, 'results.csv');
  const b = await runTorlogs(['check', '--file', csv, '--out', outCsv], env);
  assert.equal(b.code, 1, 'bad rows make the exit code 1');
  assert.match(b.stderr, /reports\.csv:4: ip: ip: "not-an-ip" is not an IPv4 or IPv6 address/);
  assert.match(b.stderr, /reports\.csv:5: time: time: "2023-06-03T06:00:00": no UTC offset/);
  const lines = readFileSync(outCsv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^176\.10\.104\.240,2018-10-31T11:11:00Z,,exit,0111BA9B604669E636FFD5B503F382A4B7AD6E80 AD86CD1A49573D52A7B6F4A35750F161AAD89C88,measured,/);
  assert.match(lines[2]!, /^136\.243\.17\.36,2023-06-02T12:00:00Z,shop\.example,exit,,listed,DE,Falkenstein,24940,Hetzner Online GmbH,requests,4,/);

  const outJson = join(fx.dir, 'results.json');
  const j = await runTorlogs(['check', '--file', csv, '--out', outJson], env);
  assert.equal(j.code, 1);
  const results = JSON.parse(readFileSync(outJson, 'utf8')) as CheckResult[];
  assert.deepEqual(results.map((x) => [x.ip, x.verdict, x.activity.requests]), [['176.10.104.240', 'exit', 0], ['136.243.17.36', 'exit', 4]]);
});
