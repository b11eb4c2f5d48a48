import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClientIpResolver, type ForwardingHeader } from '../../../shared/client-ip/client-ip-resolver.js';
import type { ParsedLine } from '../../../shared/model/parsed-line.js';
import { CidrError } from '../../../shared/net/cidr.js';
import { TorlogsError } from '../../../shared/core/errors.js';

const line = (p: Partial<ParsedLine>): ParsedLine => ({ tsMs: 0, remoteAddr: '', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 200, bytes: 0, referer: '', userAgent: '', durationMs: 0, user: '', ...p });

const T = ['10.0.0.0/8', '127.0.0.0/8', '2001:db8:ffff::/48'];
type Want = { ip: string; via: string };
// [name, trusted proxies, line fields, expected client (ip and via)]
const accepted: Array<[string, string[], Partial<ParsedLine>, Want]> = [
  ['no trusted proxies: the connecting address, headers ignored', [], { remoteAddr: '203.0.113.9', xForwardedFor: '198.51.100.1' }, { ip: '203.0.113.9', via: 'remote_addr' }],
  ['untrusted peer: its forwarded header proves nothing', T, { remoteAddr: '203.0.113.9', xForwardedFor: '198.51.100.1', forwarded: 'for=198.51.100.2', xRealIp: '198.51.100.3' }, { ip: '203.0.113.9', via: 'remote_addr' }],
  ['trusted peer: right-most untrusted hop', T, { remoteAddr: '10.0.0.1', xForwardedFor: '1.1.1.1, 198.51.100.7, 10.0.0.2' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['spoofed left-most hop is not believed', T, { remoteAddr: '10.0.0.1', xForwardedFor: '6.6.6.6, 198.51.100.7' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['every hop trusted: the left-most one', T, { remoteAddr: '10.0.0.1', xForwardedFor: '10.1.1.1, 10.2.2.2' }, { ip: '10.1.1.1', via: 'x-forwarded-for' }],
  ['a non-address left of the client does not matter', T, { remoteAddr: '10.0.0.1', xForwardedFor: 'unknown, _x, 198.51.100.7, 10.0.0.9' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['ports and bracketed IPv6', T, { remoteAddr: '10.0.0.1', xForwardedFor: '[2001:db8::7]:4711, 10.0.0.3:80' }, { ip: '2001:db8::7', via: 'x-forwarded-for' }],
  ['IPv4 with a port', T, { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.7:51234' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['no spaces, quoted element', T, { remoteAddr: '10.0.0.1', xForwardedFor: '"198.51.100.7",10.0.0.3' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['empty list elements are ignored (RFC 9110 5.6.1)', T, { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.7, , 10.0.0.3,' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['only empty elements: as if absent', T, { remoteAddr: '10.0.0.1', xForwardedFor: ' , ', xRealIp: '198.51.100.9' }, { ip: '198.51.100.9', via: 'x-real-ip' }],
  ['two headers joined by nginx', T, { remoteAddr: '10.0.0.1', xForwardedFor: '203.0.113.1, 198.51.100.7, 10.9.9.9' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['IPv4-mapped hop is the IPv4 client', T, { remoteAddr: '10.0.0.1', xForwardedFor: '::ffff:198.51.100.7' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['IPv4-mapped trusted peer', T, { remoteAddr: '::ffff:10.0.0.1', xForwardedFor: '198.51.100.7' }, { ip: '198.51.100.7', via: 'x-forwarded-for' }],
  ['IPv6 trusted peer and hop', T, { remoteAddr: '2001:db8:ffff::1', xForwardedFor: '2001:DB8:1::0001, 2001:db8:ffff::2' }, { ip: '2001:db8:1::1', via: 'x-forwarded-for' }],
  ['trusted peer without any header: the proxy made the request', T, { remoteAddr: '10.0.0.1' }, { ip: '10.0.0.1', via: 'remote_addr' }],
  ['header logged as "-" is absent', T, { remoteAddr: '10.0.0.1', xForwardedFor: '-' }, { ip: '10.0.0.1', via: 'remote_addr' }],
  ['Forwarded: RFC 7239 example, quoted bracketed IPv6 with port', T, { remoteAddr: '10.0.0.1', forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"' }, { ip: '2001:db8:cafe::17', via: 'forwarded' }],
  ['Forwarded: trusted element skipped', T, { remoteAddr: '10.0.0.1', forwarded: 'for=192.0.2.60, for=10.1.1.1;proto=https' }, { ip: '192.0.2.60', via: 'forwarded' }],
  ['Forwarded: upper-case name, spaces, quoted IPv4 with port', T, { remoteAddr: '10.0.0.1', forwarded: 'proto=https; For="192.0.2.43:47011"' }, { ip: '192.0.2.43', via: 'forwarded' }],
  ['Forwarded: obfuscated port keeps the address', T, { remoteAddr: '10.0.0.1', forwarded: 'for="[2001:db8::5]:_p1"' }, { ip: '2001:db8::5', via: 'forwarded' }],
  ['Forwarded: comma inside a quoted value', T, { remoteAddr: '10.0.0.1', forwarded: 'for=192.0.2.1;host="a,b", for=10.0.0.7' }, { ip: '192.0.2.1', via: 'forwarded' }],
  ['Forwarded: unquoted IPv6 tolerated', T, { remoteAddr: '10.0.0.1', forwarded: 'for=2001:db8::9' }, { ip: '2001:db8::9', via: 'forwarded' }],
  ['X-Forwarded-For preferred over Forwarded and X-Real-IP', T, { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.8', forwarded: 'for=198.51.100.9', xRealIp: '198.51.100.10' }, { ip: '198.51.100.8', via: 'x-forwarded-for' }],
  ['Forwarded before X-Real-IP', T, { remoteAddr: '10.0.0.1', forwarded: 'for=198.51.100.9', xRealIp: '198.51.100.10' }, { ip: '198.51.100.9', via: 'forwarded' }],
  ['X-Real-IP as the last resort', T, { remoteAddr: '10.0.0.1', xRealIp: ' 198.51.100.10 ' }, { ip: '198.51.100.10', via: 'x-real-ip' }],
  ['unix socket peer trusted with "unix"', ['unix'], { remoteAddr: 'unix:', xForwardedFor: '198.51.100.8' }, { ip: '198.51.100.8', via: 'x-forwarded-for' }],
  ['unix socket path, "unix:" entry', ['unix:', '10.0.0.0/8'], { remoteAddr: 'unix:/run/nginx.sock', xForwardedFor: '198.51.100.8, 10.0.0.5' }, { ip: '198.51.100.8', via: 'x-forwarded-for' }],
  ['loopback client is a valid request', T, { remoteAddr: '::1' }, { ip: '::1', via: 'remote_addr' }],
  ['private client behind a trusted proxy is kept', ['10.0.0.1'], { remoteAddr: '10.0.0.1', xForwardedFor: '192.168.1.20' }, { ip: '192.168.1.20', via: 'x-forwarded-for' }],
  ['connecting address with a port (Caddy, Traefik)', [], { remoteAddr: '[2001:db8::1]:443' }, { ip: '2001:db8::1', via: 'remote_addr' }],
  ['zero-padded IPv6 connecting address is normalised', [], { remoteAddr: '2001:0db8:0000:0000:0000:0000:0000:0001' }, { ip: '2001:db8::1', via: 'remote_addr' }],
  // real values from test/fixtures/logs/elastic-beats-fixtures/nginx-*.log
  ['nginx fixture: all-private chain behind loopback', T, { remoteAddr: '127.0.0.1', xForwardedFor: '10.0.0.2, 10.0.0.1' }, { ip: '10.0.0.2', via: 'x-forwarded-for' }],
  ['nginx fixture: CloudFront chain, edge untrusted', T, { remoteAddr: '10.2.1.185', xForwardedFor: '10.5.102.222, 199.96.1.1, 204.246.1.1' }, { ip: '204.246.1.1', via: 'x-forwarded-for' }],
  ['nginx fixture: CloudFront chain, edge trusted', ['10.0.0.0/8', '204.246.0.0/16'], { remoteAddr: '10.2.1.185', xForwardedFor: '10.5.102.222, 175.16.199.1, 204.246.1.1' }, { ip: '175.16.199.1', via: 'x-forwarded-for' }],
  ['nginx fixture: zero-padded IPv6 client', T, { remoteAddr: '10.2.2.121', xForwardedFor: '2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17' }, { ip: '2a03:0:10ff:f00f::8000', via: 'x-forwarded-for' }],
  ['nginx fixture: spoofed list from an untrusted client', T, { remoteAddr: '85.181.35.98', xForwardedFor: '10.0.0.2, 10.0.0.1' }, { ip: '85.181.35.98', via: 'remote_addr' }],
];
for (const [name, trusted, p, want] of accepted) {
  test(`client IP: ${name}`, () => {
    const r = createClientIpResolver({ trustedProxies: trusted })(line(p));
    assert.deepEqual(r, { ok: true, value: want });
  });
}

// [name, trusted proxies, line fields, rejected field, exact detail]
const rejected: Array<[string, string[], Partial<ParsedLine>, string, string]> = [
  ['XFF "unknown" from the trusted proxy', T, { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.1, unknown' }, 'x_forwarded_for',
    'x-forwarded-for hop 2 of 2 "unknown" is "unknown" (the proxy did not know or did not disclose its client), and it was written by the trusted proxy: the client is unknown (x-forwarded-for: "198.51.100.1, unknown")'],
  ['XFF host name behind trusted hops', T, { remoteAddr: '10.0.0.1', xForwardedFor: 'client.example, 10.0.0.2' }, 'x_forwarded_for',
    'x-forwarded-for hop 1 of 2 "client.example" is a host name, not an address, and every hop to its right is a trusted proxy: the client is unknown (x-forwarded-for: "client.example, 10.0.0.2")'],
  ['Forwarded obfuscated identifier', T, { remoteAddr: '10.0.0.1', forwarded: 'for=_hidden, for=10.0.0.2' }, 'forwarded',
    'forwarded hop 1 of 2 "_hidden" is an obfuscated identifier (RFC 7239), not an address, and every hop to its right is a trusted proxy: the client is unknown (forwarded: "for=_hidden, for=10.0.0.2")'],
  ['Forwarded quoted "unknown"', T, { remoteAddr: '10.0.0.1', forwarded: 'for="unknown"' }, 'forwarded',
    'forwarded hop 1 of 1 "unknown" is "unknown" (the proxy did not know or did not disclose its client), and it was written by the trusted proxy: the client is unknown (forwarded: "for=\\"unknown\\"")'],
  ['Forwarded element without for= (not skipped: the client could have written the next one)', T, { remoteAddr: '10.0.0.1', forwarded: 'for=6.6.6.6, proto=https' }, 'forwarded',
    'forwarded hop 2 of 2 "proto=https" has no for= parameter, so this proxy did not say who its client was, and it was written by the trusted proxy: the client is unknown (forwarded: "for=6.6.6.6, proto=https")'],
  ['Forwarded with two for= in one element', T, { remoteAddr: '10.0.0.1', forwarded: 'for=192.0.2.1;for=192.0.2.2' }, 'forwarded',
    'forwarded hop 1 of 1 "for=192.0.2.1;for=192.0.2.2" has more than one for= parameter (RFC 7239 allows one per element), and it was written by the trusted proxy: the client is unknown (forwarded: "for=192.0.2.1;for=192.0.2.2")'],
  ['Forwarded unterminated quote', T, { remoteAddr: '10.0.0.1', forwarded: 'for="[2001:db8::1]' }, 'forwarded',
    'forwarded hop 1 of 1 "for=\\"[2001:db8::1]" has an unterminated quoted string, and it was written by the trusted proxy: the client is unknown (forwarded: "for=\\"[2001:db8::1]")'],
  ['bad hop in the preferred header: the next header is not consulted', T, { remoteAddr: '10.0.0.1', xForwardedFor: 'unknown', xRealIp: '198.51.100.9' }, 'x_forwarded_for',
    'x-forwarded-for hop 1 of 1 "unknown" is "unknown" (the proxy did not know or did not disclose its client), and it was written by the trusted proxy: the client is unknown (x-forwarded-for: "unknown")'],
  ['X-Real-IP holding a list', T, { remoteAddr: '10.0.0.1', xRealIp: '198.51.100.9, 10.0.0.3' }, 'x_real_ip',
    'x-real-ip hop 1 of 1 "198.51.100.9, 10.0.0.3" is a list; X-Real-IP must hold one address (check the proxy that sets it), and it was written by the trusted proxy: the client is unknown (x-real-ip: "198.51.100.9, 10.0.0.3")'],
  ['bracketed IPv4 is not an address', T, { remoteAddr: '10.0.0.1', xForwardedFor: '[198.51.100.1]' }, 'x_forwarded_for',
    'x-forwarded-for hop 1 of 1 "[198.51.100.1]" is not a valid bracketed IPv6 address with optional port, and it was written by the trusted proxy: the client is unknown (x-forwarded-for: "[198.51.100.1]")'],
  ['unix socket peer, not trusted', T, { remoteAddr: 'unix:', xForwardedFor: '198.51.100.8' }, 'remote_addr',
    'connecting address "unix:" is a unix socket and "unix" is not among the trusted proxies, so no forwarding header can be believed and there is no client IP'],
  ['unix socket peer, trusted, no header (nginx fixture line)', ['unix'], { remoteAddr: 'unix:' }, 'remote_addr',
    'request came through the trusted unix-socket proxy "unix:" but none of x-forwarded-for, forwarded, x-real-ip was logged'],
  ['connecting address "-"', T, { remoteAddr: '-', xForwardedFor: '198.51.100.8' }, 'remote_addr',
    'connecting address is missing ("-"); forwarding headers are only believed from a trusted proxy, so there is no client IP'],
  ['connecting address not logged', [], { remoteAddr: '' }, 'remote_addr',
    'connecting address is missing (""); forwarding headers are only believed from a trusted proxy, so there is no client IP'],
  ['host name as the connecting address (nginx fixture line)', T, { remoteAddr: 'localhost', xForwardedFor: 'localhost' }, 'remote_addr',
    'connecting address "localhost" is not an IP address (host name lookups on? log the numeric address: nginx $remote_addr, Apache %a)'],
];
for (const [name, trusted, p, field, detail] of rejected) {
  test(`client IP dead letter: ${name}`, () => {
    const r = createClientIpResolver({ trustedProxies: trusted })(line(p));
    assert.deepEqual(r, { ok: false, rejection: { reason: 'bad_client_ip', stage: 'client_ip', field, detail } });
  });
}

// [headers option, line fields, expected]
const headerChoices: Array<[ForwardingHeader[], Partial<ParsedLine>, Want | string]> = [
  [['x-real-ip', 'x-forwarded-for'], { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.8', xRealIp: '198.51.100.9' }, { ip: '198.51.100.9', via: 'x-real-ip' }],
  [['forwarded'], { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.8' }, { ip: '10.0.0.1', via: 'remote_addr' }],
  [[], { remoteAddr: '10.0.0.1', xForwardedFor: '198.51.100.8' }, { ip: '10.0.0.1', via: 'remote_addr' }],
  [['x-real-ip'], { remoteAddr: 'unix:', xForwardedFor: '198.51.100.8' }, 'request came through the trusted unix-socket proxy "unix:" but none of x-real-ip was logged'],
];
for (const [headers, p, want] of headerChoices) {
  test(`client IP with headers [${headers.join(', ')}]: ${JSON.stringify(want)}`, () => {
    const r = createClientIpResolver({ trustedProxies: ['10.0.0.0/8', 'unix'], headers })(line(p));
    if (typeof want === 'string') assert.deepEqual(r, { ok: false, rejection: { reason: 'bad_client_ip', stage: 'client_ip', field: 'remote_addr', detail: want } });
    else assert.deepEqual(r, { ok: true, value: want });
  });
}

test('a bad trusted-proxy entry is a configuration error naming the entry', () => {
  assert.throws(() => createClientIpResolver({ trustedProxies: ['unix', '10.0.0.0/8', '10.0.0.1/8'] }), (e: unknown) => {
    assert.ok(e instanceof CidrError);
    assert.equal(e.message, 'entry 3 "10.0.0.1/8": host bits are set after the /8 prefix (did you mean 10.0.0.0/8?)');
    return true;
  });
});

test('an unknown header name is a configuration error', () => {
  assert.throws(() => createClientIpResolver({ trustedProxies: [], headers: ['x-client-ip' as ForwardingHeader] }), (e: unknown) => {
    assert.ok(e instanceof TorlogsError);
    assert.equal(e.code, 'config_invalid');
    assert.equal(e.message, 'unknown forwarding header "x-client-ip": use x-forwarded-for, forwarded, x-real-ip');
    return true;
  });
});
