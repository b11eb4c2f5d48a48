/**
 * Consensuses (2 cropped real CollecTor consensuses, 2018-06-01 00:00 and 01:00) and the Onionoo details excerpt.
 * Expected values were read from the files independently of the parser:
 *   awk '/^r /{ip=$7;a=""} /^a /{a=a" "$2} /^s /{if ($0 ~ / Exit( |$)/){n++; m+=split(a,x," ")}} END{print n, m}' F
 *   → 22 Exit relays with 5 `a` addresses (00:00), 6 relays with 0 (01:00); BadExit occurs only in known-flags.
 *   python3 -c "import base64; print(base64.b64decode('8XIbDhneSduR6q+nX6n6c6BkPzc=').hex().upper())"
 *   → F1721B0E19DE49DB91EAAFA75FA9FA73A0643F37 (tor28bitlab)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { identityToFingerprint } from '../../../shared/tor/consensus-parser.js';
import { parseTorSource } from '../../../shared/tor/parse-tor-source.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';
import { fixture } from '../../helpers/fixtures.js';

const read = (...p: string[]) => readFileSync(fixture('tor', ...p), 'utf8');
const c0 = read('collector-consensuses', '2018-06-01-00-00-00-consensus');
const c1 = read('collector-consensuses', '2018-06-01-01-00-00-consensus');

const consensuses: Array<[string, string, number, number, number, string]> = [
  // name, text, observations, of them IPv6, r lines (relays), valid-after
  ['2018-06-01-00-00-00-consensus', c0, 27, 5, 208, '2018-06-01T00:00:00Z'],
  ['2018-06-01-01-00-00-consensus', c1, 6, 0, 35, '2018-06-01T01:00:00Z'],
];
for (const [name, text, obs, v6, relays, va] of consensuses) {
  test(`consensus ${name}: ${obs} Exit OR addresses (${v6} IPv6) of ${relays} relays, valid for [valid-after, fresh-until], no coverage`, () => {
    assert.equal(text.split('\n').filter((l) => l.startsWith('r ')).length, relays);
    const d = parseTorSource({ text, source: name }, P);
    assert.equal(d.kind, 'consensus');
    assert.equal(d.observations.length, obs);
    assert.equal(d.observations.filter((o) => o.ip.includes(':')).length, v6);
    assert.equal(d.rejects.length, 0);
    assert.equal(d.downloadedAtMs, Date.parse(va));
    assert.deepEqual(d.coverage, [], 'OR addresses cannot show that an address was NOT an exit');
    for (const o of d.observations) {
      assert.equal(o.kind, 'consensus_exit_or');
      assert.match(o.fingerprint, /^[0-9A-F]{40}$/);
      assert.equal(o.validFromMs, Date.parse(va));
      assert.equal(o.validToMs, Date.parse(va) + 3_600_000);
    }
  });
}

test('tor28bitlab: r-line IPv4 and a-line IPv6 (brackets and port dropped), fingerprint from the base64 identity', () => {
  const d = parseTorSource({ text: c0, source: 'c0' }, P);
  const mine = d.observations.filter((o) => o.fingerprint === 'F1721B0E19DE49DB91EAAFA75FA9FA73A0643F37').map((o) => o.ip);
  assert.deepEqual(mine, ['159.89.160.34', '2400:6180:100:d0::745:4001']);
  assert.equal(identityToFingerprint('8XIbDhneSduR6q+nX6n6c6BkPzc'), 'F1721B0E19DE49DB91EAAFA75FA9FA73A0643F37');
  assert.equal(identityToFingerprint('not base64!'), '');
  // relays without the Exit flag are not observations: moria-like authorities, guards ...
  const nonExitR = c0.split('\n').findIndex((l, i, a) => l.startsWith('r ') && !(a[i + 1] ?? '').includes('Exit') && !(a[i + 2] ?? '').includes('Exit'));
  const ip = c0.split('\n')[nonExitR]!.split(' ')[6]!;
  assert.ok(!d.observations.some((o) => o.ip === ip), `${ip} has no Exit flag`);
});

test('BadExit relays are kept and marked; the microdesc flavour (r line without digest) parses the same', () => {
  const bad = c0.replace(/(r tor28bitlab [^\n]+\na [^\n]+\n)s Exit/, '$1s BadExit Exit');
  const d = parseTorSource({ text: bad, source: 'badexit' }, P);
  assert.deepEqual(d.observations.filter((o) => o.badExit).map((o) => o.ip), ['159.89.160.34', '2400:6180:100:d0::745:4001']);
  const micro = c0
    .replace('@type network-status-consensus-3 1.0', '@type network-status-microdesc-consensus-3 1.0')
    .replace(/^r (\S+) (\S+) \S+ (.+)$/gm, 'r $1 $2 $3');
  const m = parseTorSource({ text: micro, source: 'micro' }, P);
  assert.equal(m.kind, 'consensus');
  assert.deepEqual(m.observations.map((o) => [o.ip, o.fingerprint]), parseTorSource({ text: c0, source: 'c0' }, P).observations.map((o) => [o.ip, o.fingerprint]));
});

test('a broken r line is a counted reject with its line number', () => {
  const lines = c0.split('\n');
  const at = lines.findIndex((l) => l.startsWith('r tor28bitlab '));
  lines[at] = 'r tor28bitlab ???';
  const d = parseTorSource({ text: lines.join('\n'), source: 'broken' }, P);
  assert.equal(d.observations.length, 25);
  assert.deepEqual(d.rejects.map((r) => [r.line, r.reason]), [[at + 1, 'r line identity is not a base64 fingerprint']]);
});

test('Onionoo excerpt: 3 relays; csailmitexit gives exit_addresses and its Exit OR address, at last_seen', () => {
  const d = parseTorSource({ text: read('onionoo', 'details-2021-10-09T14-excerpt.json'), source: 'onionoo' }, P);
  assert.equal(d.kind, 'onionoo');
  assert.equal(d.downloadedAtMs, Date.parse('2021-10-09T14:00:00Z'));
  const t = Date.parse('2021-10-09T14:00:00Z');
  const base = { ip: '128.31.0.13', fingerprint: 'A53C46F5B157DD83366D45A8E99A244934A14C46', observedAtMs: t, validFromMs: t, validToMs: t, publishedAtMs: 0, lastStatusMs: t, downloadedAtMs: t };
  assert.deepEqual(d.observations, [
    { ...base, kind: 'onionoo_exit' },
    { ...base, kind: 'onionoo_exit_or' },
  ]);
  assert.deepEqual(d.coverage, [], 'Onionoo is a filtered, current-state view: no coverage');
  assert.equal(d.rejects.length, 0);
});

test('Onionoo: IPv6 OR addresses in brackets, bad addresses rejected by relay position, last_seen capped at relays_published', () => {
  const doc = {
    relays_published: '2021-10-09 14:00:00',
    relays: [
      { fingerprint: 'A'.repeat(40), flags: ['Exit', 'Running'], or_addresses: ['[2620:7:6003::141]:81', '1.2.3.4:443'], exit_addresses: ['5.6.7.8'], last_seen: '2021-10-09 13:00:00' },
      { fingerprint: 'B'.repeat(40), flags: ['Running'], or_addresses: ['9.9.9.9:443'], exit_addresses: ['not-ip'], last_seen: '2021-10-09 15:00:00' },
    ],
  };
  const d = parseTorSource({ text: JSON.stringify(doc), source: 'onionoo' }, P);
  assert.deepEqual(d.observations.map((o) => [o.kind, o.ip, new Date(o.observedAtMs).toISOString()]), [
    ['onionoo_exit', '5.6.7.8', '2021-10-09T13:00:00.000Z'],
    ['onionoo_exit_or', '2620:7:6003::141', '2021-10-09T13:00:00.000Z'],
    ['onionoo_exit_or', '1.2.3.4', '2021-10-09T13:00:00.000Z'],
  ]);
  assert.deepEqual(d.rejects, [{ line: 2, reason: 'relays[1] address is not an IP', text: 'not-ip' }]);
});
