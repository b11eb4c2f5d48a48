import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClientIpResolver } from '../../../shared/client-ip/client-ip-resolver.js';
import type { ParsedLine } from '../../../shared/model/parsed-line.js';
import { parseCidrs, CidrError } from '../../../shared/net/cidr.js';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { fixtureLines } from '../../helpers/fixtures.js';

const line = (p: Partial<ParsedLine>): ParsedLine => ({ tsMs: 0, remoteAddr: '', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 200, bytes: 0, referer: '', userAgent: '', durationMs: 0, user: '', ...p });

type Case = [string, string[], Partial<ParsedLine>, string | null, string?];
const cases: Case[] = [
  ['no trusted proxies: the connecting address, headers ignored', [], { remoteAddr: '203.0.113.9', xForwardedFor: '198.51.100.1' }, '203.0.113.9', 'remote_addr'],
  ['untrusted peer: its forwarded header proves nothing', ['10.0.0.0/8'], { remoteAddr: '203.0.113.9', xForwardedFor: '198.51.100.1' }, '203.0.113.9', 'remote_addr'],
  ['trusted peer: right-most untrusted XFF hop', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '1.1.1.1, 198.51.100.7, 10.0.0.2' }, '198.51.100.7', 'x-forwarded-for'],
  ['spoofed left-most hop is not believed', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '6.6.6.6, 198.51.100.7' }, '198.51.100.7', 'x-forwarded-for'],
  ['all hops trusted: the left-most one', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '10.1.1.1, 10.2.2.2' }, '10.1.1.1', 'x-forwarded-for'],
  ['ports and IPv6 in brackets', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '[2001:db8::7]:4711, 10.0.0.3:80' }, '2001:db8::7', 'x-forwarded-for'],
  ['IPv4-mapped hop is the IPv4 client', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '::ffff:198.51.100.7' }, '198.51.100.7', 'x-forwarded-for'],
  ['expanded IPv6 hop is normalised', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '2a02:cf40:10ff:f00f:0000:0000:0:8000' }, '2a02:cf40:10ff:f00f::8000', 'x-forwarded-for'],
  ['trusted peer without any header: the peer itself', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1' }, '10.0.0.1', 'remote_addr'],
  ['Forwarded for= with quotes and IPv6', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"' }, '2001:db8:cafe::17', 'forwarded'],
  ['Forwarded obfuscated hop makes the client unknown', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', forwarded: 'for=_hidden' }, null],
  ['XFF "unknown" hop makes the client unknown', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.1, unknown' }, null],
  ['X-Real-IP as a last resort', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xRealIp: '198.51.100.9' }, '198.51.100.9', 'x-real-ip'],
  ['XFF preferred over X-Real-IP', ['10.0.0.0/8'], { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.8', xRealIp: '198.51.100.9' }, '198.51.100.8', 'x-forwarded-for'],
  ['unix socket peer, not trusted: rejected', [], { remoteAddr: 'unix:', xForwardedFor: '198.51.100.8' }, null],
  ['unix socket peer, trusted: XFF', ['unix'], { remoteAddr: 'unix:', xForwardedFor: '198.51.100.8' }, '198.51.100.8', 'x-forwarded-for'],
  ['hostname as the connecting address: rejected', [], { remoteAddr: 'localhost' }, null],
  ['IPv6 loopback is a valid client', [], { remoteAddr: '::1' }, '::1', 'remote_addr'],
];
for (const [name, trusted, p, want, via] of cases) {
  test(`client IP: ${name}`, () => {
    const r = createClientIpResolver({ trustedProxies: trusted })(line(p));
    if (want === null) {
      assert.ok(!r.ok);
      assert.equal(r.rejection.reason, 'bad_client_ip');
      assert.ok(r.rejection.detail.length > 20);
    } else {
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.value.ip, want);
      assert.equal(r.value.via, via);
    }
  });
}

test('real nginx lines with forwarded lists, behind a trusted 10/8 + loopback proxy', () => {
  const resolve = createClientIpResolver({ trustedProxies: ['10.0.0.0/8', '127.0.0.0/8'] });
  const parse = getParser('auto').parser;
  const got = fixtureLines('logs', 'elastic-beats-fixtures', 'nginx-access-test.log').map((l) => {
    const p = parse(l);
    assert.ok(p.ok);
    const r = resolve(p.value);
    return r.ok ? r.value.ip : r.rejection.reason;
  });
  assert.deepEqual(got, ['10.0.0.2', '172.17.0.1', '85.181.35.98', '85.181.35.98', '204.246.1.1', '2a03:0:10ff:f00f::8000', '127.0.0.1']);
});

const cidrCases: Array<[string[], string, boolean]> = [
  [['10.0.0.0/8'], '10.255.1.2', true],
  [['10.0.0.0/8'], '11.0.0.1', false],
  [['192.168.1.7'], '192.168.1.7', true],
  [['192.168.1.7'], '192.168.1.8', false],
  [['0.0.0.0/0'], '8.8.8.8', true],
  [['2001:db8::/32'], '2001:db8:ffff::1', true],
  [['2001:db8::/32'], '2001:db9::1', false],
  [['::1'], '::1', true],
  [['::ffff:10.0.0.0/104'], '10.1.2.3', true],
  [['fd00::/8'], '10.0.0.1', false],
];
for (const [cidrs, ip, want] of cidrCases) {
  test(`CIDR ${cidrs.join(',')} contains ${ip}: ${want}`, () => assert.equal(parseCidrs(cidrs).contains(ip), want));
}

for (const bad of ['10.0.0.0/33', '10.0.0.1/8', 'example.com', '2001:db8::1/129', '1.2.3.4/x']) {
  test(`CIDR "${bad}" is refused with the entry named`, () => {
    assert.throws(() => parseCidrs([bad]), (e: unknown) => e instanceof CidrError && e.message.includes(bad));
  });
}
