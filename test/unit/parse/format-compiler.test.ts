/**
 * nginx `log_format` and Apache `LogFormat` compilation: the compiled combined formats agree with the built-in
 * parser on all 10,000 real lines; round trips of lines rendered from richer formats; compile-time errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedLine } from '../../../shared/model/parsed-line.js';
import { compileApacheLogFormat, compileNginxLogFormat } from '../../../shared/parse/format-compiler.js';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { fixtureLines } from '../../helpers/fixtures.js';

const NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
const APACHE_COMBINED = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"';
const apacheLogs = fixtureLines('logs', 'elastic-examples', 'apache_logs');

for (const spec of [`nginx:${NGINX_COMBINED}`, `apache:${APACHE_COMBINED}`, `nginx:log_format combined '$remote_addr - $remote_user [$time_local] '\n  '"$request" $status $body_bytes_sent '\n  '"$http_referer" "$http_user_agent"';`, 'apache:LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined']) {
  test(`${spec.slice(0, 40)}… parses all 10,000 apache_logs lines exactly like the built-in combined parser`, () => {
    const compiled = getParser(spec);
    const builtin = getParser('combined');
    for (const line of apacheLogs) assert.deepEqual(compiled(line), builtin(line));
  });
}

const renderNginx = (format: string, v: Record<string, string>) => format.replace(/\$(\w+)/g, (_, name: string) => v[name] ?? '-');
const renderApache = (format: string, v: Record<string, string>) => format.replace(/%[<>!0-9,]*(\{[^}]*\})?[a-zA-Z]/g, (d) => v[d] ?? '-');
const base: ParsedLine = {
  tsMs: 0, remoteAddr: '', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '', method: '', path: '', protocol: '',
  status: 0, bytes: 0, referer: '', userAgent: '', durationMs: 0, user: '',
};
const T = Date.UTC(2000, 9, 10, 20, 55, 36);

const roundTrips: Array<[string, 'nginx' | 'apache', string, Record<string, string>, Partial<ParsedLine>]> = [
  ['nginx main (X-Forwarded-For appended)', 'nginx', `${NGINX_COMBINED} "$http_x_forwarded_for"`,
    { remote_addr: '10.0.0.5', remote_user: 'bob', time_local: '10/Oct/2000:13:55:36 -0700', request: 'GET /a?b=1 HTTP/2.0', status: '200', body_bytes_sent: '612', http_referer: 'https://ref.example/', http_user_agent: 'curl/8.5.0', http_x_forwarded_for: '198.51.100.7, 10.0.0.1' },
    { tsMs: T, remoteAddr: '10.0.0.5', user: 'bob', method: 'GET', path: '/a?b=1', protocol: 'HTTP/2.0', status: 200, bytes: 612, referer: 'https://ref.example/', userAgent: 'curl/8.5.0', xForwardedFor: '198.51.100.7, 10.0.0.1' }],
  ['nginx timing format: $msec beats $time_iso8601, $body_bytes_sent beats $bytes_sent, headers', 'nginx',
    '$host $remote_addr [$time_iso8601] "$request_method $request_uri $server_protocol" $status $body_bytes_sent $bytes_sent $request_time "$upstream_response_time" "$http_x_real_ip" "$http_forwarded" $msec',
    { host: 'shop.example', remote_addr: '2001:db8::7', time_iso8601: '2000-10-10T13:55:36-07:00', request_method: 'POST', request_uri: '/cart?id=9', server_protocol: 'HTTP/1.1', status: '201', body_bytes_sent: '17', bytes_sent: '345', request_time: '0.125', upstream_response_time: '0.100, 0.020', http_x_real_ip: '198.51.100.8', http_forwarded: 'for=198.51.100.8;proto=https', msec: '971211336.789' },
    { tsMs: T + 789, vhost: 'shop.example', remoteAddr: '2001:db8::7', method: 'POST', path: '/cart?id=9', protocol: 'HTTP/1.1', status: 201, bytes: 17, durationMs: 125, xRealIp: '198.51.100.8', forwarded: 'for=198.51.100.8;proto=https' }],
  ['nginx $uri$is_args$args with a query', 'nginx', '$remote_addr [$time_local] "$request_method $uri$is_args$args" $status',
    { remote_addr: '192.0.2.1', time_local: '10/Oct/2000:13:55:36 -0700', request_method: 'GET', uri: '/p', is_args: '?', args: 'x=1&y=2', status: '404' },
    { tsMs: T, remoteAddr: '192.0.2.1', method: 'GET', path: '/p?x=1&y=2', status: 404 }],
  ['nginx $uri$is_args$args without a query', 'nginx', '$remote_addr [$time_local] "$request_method $uri$is_args$args" $status',
    { remote_addr: '192.0.2.1', time_local: '10/Oct/2000:13:55:36 -0700', request_method: 'GET', uri: '/p', is_args: '', args: '', status: '404' },
    { tsMs: T, remoteAddr: '192.0.2.1', method: 'GET', path: '/p', status: 404 }],
  ['nginx $proxy_add_x_forwarded_for in place of the address; unknown variables ignored', 'nginx', '$proxy_add_x_forwarded_for $connection [$time_local] "$request" $status $ssl_protocol/$ssl_cipher',
    { proxy_add_x_forwarded_for: '198.51.100.7, 10.0.0.1, 10.0.0.2', connection: '8812', time_local: '10/Oct/2000:13:55:36 -0700', request: 'GET / HTTP/1.1', status: '200', ssl_protocol: 'TLSv1.3', ssl_cipher: 'TLS_AES_128_GCM_SHA256' },
    { tsMs: T, remoteAddr: '10.0.0.2', xForwardedFor: '198.51.100.7, 10.0.0.1', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 200 }],
  ['Apache vhost_combined (%v:%p, %O) matches the built-in', 'apache', '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    { '%v': 'www.example.org', '%p': '443', '%h': '192.0.2.44', '%t': '[10/Oct/2000:13:55:36 -0700]', '%r': 'GET /x HTTP/1.1', '%>s': '302', '%O': '712', '%{User-Agent}i': 'Wget/1.21' },
    { tsMs: T, vhost: 'www.example.org', remoteAddr: '192.0.2.44', method: 'GET', path: '/x', protocol: 'HTTP/1.1', status: 302, bytes: 712, userAgent: 'Wget/1.21' }],
  ['Apache %{c}a beats %a, %m %U%q %H, %D µs, %b "-"', 'apache', '%a %{c}a %t "%m %U%q %H" %>s %b %D "%{X-Forwarded-For}i"',
    { '%a': '198.51.100.7', '%{c}a': '10.0.0.9', '%t': '[10/Oct/2000:13:55:36 -0700]', '%m': 'GET', '%U': '/search', '%q': '?q=tor', '%H': 'HTTP/1.1', '%>s': '200', '%b': '-', '%D': '2500', '%{X-Forwarded-For}i': '198.51.100.7' },
    { tsMs: T, remoteAddr: '10.0.0.9', method: 'GET', path: '/search?q=tor', protocol: 'HTTP/1.1', status: 200, durationMs: 2.5, xForwardedFor: '198.51.100.7' }],
  ['Apache %U%q with an empty query, %{ms}T', 'apache', '%h %t "%m %U%q %H" %>s %B %{ms}T',
    { '%h': '192.0.2.1', '%t': '[10/Oct/2000:13:55:36 -0700]', '%m': 'HEAD', '%U': '/', '%q': '', '%H': 'HTTP/1.0', '%>s': '200', '%B': '0', '%{ms}T': '31' },
    { tsMs: T, remoteAddr: '192.0.2.1', method: 'HEAD', path: '/', protocol: 'HTTP/1.0', status: 200, durationMs: 31 }],
  ['Apache strftime time with %z', 'apache', '%h [%{%Y-%m-%d %H:%M:%S %z}t] "%r" %>s %b %T',
    { '%h': '192.0.2.1', '%{%Y-%m-%d %H:%M:%S %z}t': '2000-10-10 13:55:36 -0700', '%r': 'GET / HTTP/1.1', '%>s': '500', '%b': '0', '%T': '3' },
    { tsMs: T, remoteAddr: '192.0.2.1', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 500, durationMs: 3000 }],
  ['Apache strftime %d/%b/%Y:%T with %{msec_frac}t (no zone: UTC)', 'apache', '%h [%{%d/%b/%Y:%T}t.%{msec_frac}t] "%r" %>s %b',
    { '%h': '192.0.2.1', '%{%d/%b/%Y:%T}t': '10/Oct/2000:20:55:36', '%{msec_frac}t': '042', '%r': 'GET / HTTP/1.1', '%>s': '200', '%b': '5' },
    { tsMs: T + 42, remoteAddr: '192.0.2.1', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 200, bytes: 5 }],
  ['Apache %{usec}t epoch µs, %s with %>s absent', 'apache', '%h %{usec}t "%r" %s %b',
    { '%h': '192.0.2.1', '%{usec}t': '971211336000123', '%r': 'GET / HTTP/1.1', '%s': '204', '%b': '0' },
    { tsMs: T, remoteAddr: '192.0.2.1', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 204 }],
];

for (const [name, dialect, format, values, want] of roundTrips) {
  test(`round trip: ${name}`, () => {
    const line = dialect === 'nginx' ? renderNginx(format, values) : renderApache(format, values);
    const c = dialect === 'nginx' ? compileNginxLogFormat(format) : compileApacheLogFormat(format);
    const r = c.parse(line);
    assert.ok(r.ok, `${line}\n${JSON.stringify(r)}`);
    assert.deepEqual(r.value, { ...base, ...want });
  });
}

test('nginx escape=json format written as in nginx.conf: JSON escapes decoded, a JSON-lines format', () => {
  const c = compileNginxLogFormat(`log_format j escape=json '{"ts":"$time_iso8601","ip":"$remote_addr",'\n '"req":"$request","st":$status,"ua":"$http_user_agent"}';`);
  assert.equal(c.jsonLines, true);
  const r = c.parse('{"ts":"2000-10-10T13:55:36-07:00","ip":"203.0.113.9","req":"GET /a HTTP/1.1","st":200,"ua":"say \\"hi\\" \\u00e9"}');
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual([r.value.tsMs, r.value.remoteAddr, r.value.path, r.value.status, r.value.userAgent], [T, '203.0.113.9', '/a', 200, 'say "hi" é']);
  assert.equal(getParser(`nginx:${c.source}`).jsonLines, true);
});

test('the last quoted field may be unclosed (runs to the end); other fields must match', () => {
  const c = compileNginxLogFormat(NGINX_COMBINED);
  const line = apacheLogs[8898]!;
  const r = c.parse(line);
  assert.ok(r.ok);
  assert.equal(r.value.userAgent, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html');
  assert.deepEqual(c.parse('1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-"'), {
    ok: false, rejection: { reason: 'malformed_line', stage: 'parse', field: 'http_user_agent', detail: 'expected "\\" \\"" before $http_user_agent at column 67, found "\\""' },
  });
});

const parseErrors: Array<[string, string, string, string, string]> = [
  [NGINX_COMBINED, '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "ua" extra', 'malformed_line', 'line', 'unexpected text after the end of the format at column 73: " extra"'],
  [NGINX_COMBINED, '1.2.3.4 [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "ua"', 'malformed_line', 'remote_addr', 'no " - " after $remote_addr (from column 1: "1.2.3.4 [10/Oct/2000:13:55:36 …")'],
  [NGINX_COMBINED, '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 20x 1 "-" "ua"', 'bad_status', 'status', '"20x" is not a 3-digit HTTP status'],
  [NGINX_COMBINED, '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 lots "-" "ua"', 'bad_number', 'body_bytes_sent', '"lots" is not a byte count (digits or -)'],
  [NGINX_COMBINED, '1.2.3.4 - - [31/Jun/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "ua"', 'bad_timestamp', 'time_local', '"31/Jun/2000:13:55:36 -0700": day 31 does not exist in 2000-06'],
  [APACHE_COMBINED, '1.2.3.4 - - 10/Oct/2000:13:55:36 "GET / HTTP/1.1" 200 1 "-" "ua"', 'malformed_line', 'time_local', 'expected "[" of %t at column 13, found "10/Oct/2000:13:55:36 \\"GET / HT…"'],
  ['%h [%{%Y-%m-%d %H:%M:%S}t] "%r" %>s', '1.2.3.4 [2000-13-10 13:55:36] "GET / HTTP/1.1" 200', 'bad_timestamp', 'time', '"2000-13-10 13:55:36": month 13 out of range'],
];
for (const [format, line, reason, field, detail] of parseErrors) {
  test(`${format.startsWith('$') ? 'nginx' : 'apache'} format rejects ${JSON.stringify(line.slice(0, 50))}…: ${reason}`, () => {
    const c = format.startsWith('$') ? compileNginxLogFormat(format) : compileApacheLogFormat(format);
    assert.deepEqual(c.parse(line), { ok: false, rejection: { reason, stage: 'parse', field, detail } });
  });
}

const compileErrors: Array<[string, RegExp]> = [
  ['nginx:$remote_addr $status', /has no time field/],
  ['nginx:[$time_local] $status', /has no client address field/],
  ['apache:%h%l %t', /%h and %l have no separator between them/],
  ['apache:%h [%{%Q}t]', /%Q is not supported/],
  ['apache:%h %{Referer i %t', /unclosed "\{"/],
  ['apache:%h %t %', /"%" without a directive/],
  ["nginx:log_format main escape=json $remote_addr", /expected quoted strings/],
  ['nginx:   ', /empty nginx log format/],
];
for (const [spec, re] of compileErrors) {
  test(`compile error: ${spec}`, () => assert.throws(() => getParser(spec), (e: Error & { code?: string }) => e.code === 'usage_invalid' && re.test(e.message)));
}

test('compiled metadata: steps with field names, vhost, JSON lines', () => {
  const c = compileApacheLogFormat('%v %h %l %u %t "%r" %>s %O %b');
  assert.deepEqual(c.steps.map((s) => [s.source, s.kind, s.field]), [
    ['%v', 'vhost', 'host'], ['%h', 'remote_addr', 'remote_addr'], ['%l', 'ignore', '%l'], ['%u', 'user', 'remote_user'], ['%t', 'time_clf_bracketed', 'time_local'],
    ['%r', 'request', 'request'], ['%>s', 'status', 'status'], ['%O', 'ignore', 'bytes_sent'], ['%b', 'bytes', 'body_bytes_sent'],
  ]);
  assert.deepEqual([c.hasVhost, c.jsonLines, c.dialect, c.tail], [true, false, 'apache', '']);
  assert.equal(getParser({ kind: 'apache', format: '%h %t "%r" %>s %b' }).name, 'apache:%h %t "%r" %>s %b');
});
