/**
 * What every line goes through: escapes inside quoted fields, CRLF, shipper quoting, unclosed quotes, `-` fields,
 * IPv6 clients, junk request lines, length limits and the exact rejection of lines that do not match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closingQuote, unescapeField } from '../../../shared/parse/field-escapes.js';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { splitRequestLine } from '../../../shared/parse/request-line.js';

const combined = getParser('combined');
const L = (req: string, tail = '"-" "curl/8.0"') => `203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "${req}" 200 512 ${tail}`;
const ok = (line: string, parse = combined) => {
  const r = parse(line);
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
};
const rejected = (line: string, parse = combined) => {
  const r = parse(line);
  assert.ok(!r.ok, `expected a rejection for ${line}`);
  return r.rejection;
};

const escapes: Array<[string, string]> = [
  ['plain', 'plain'],
  ['a \\"quoted\\" word', 'a "quoted" word'],
  ['back\\\\slash', 'back\\slash'],
  ['/caf\\xc3\\xa9', '/café'], // \xHH runs that are UTF-8 are decoded
  ['\\x22quoted by nginx\\x22', '"quoted by nginx"'],
  ['http://\\xe4\\xe5\\xe3-\\xf0\\xf4/', 'http://\\xe4\\xe5\\xe3-\\xf0\\xf4/'], // not UTF-8 (cp1251): kept as written
  ['mixed \\xc3\\xa9 and \\xff', 'mixed é and \\xff'],
  ['\\xc3', '\\xc3'], // a truncated sequence is not UTF-8
  ['tab\\there\\nnewline', 'tab\\there\\nnewline'], // control characters stay escaped
  ['\\x41\\x00\\x42\\x7f', 'A\\x00B\\x7f'],
  ['json \\u00e9\\u0022\\u0007 \\/', 'json é"\\u0007 /'],
  ['lone \\q backslash and a trailing \\', 'lone \\q backslash and a trailing \\'],
  ['\\xZZ is not hex', '\\xZZ is not hex'],
];
for (const [raw, want] of escapes) {
  test(`unescape ${JSON.stringify(raw)} → ${JSON.stringify(want)}`, () => assert.equal(unescapeField(raw), want));
}

test('closingQuote skips \\" but not \\\\"', () => {
  assert.equal(closingQuote('"a\\"b" c', 1), 5);
  assert.equal(closingQuote('"a\\\\" c', 1), 4);
  assert.equal(closingQuote('"" x', 1), 1);
  assert.equal(closingQuote('"never closed\\"', 1), -1);
});

test('escaped quotes inside the request, referer and agent of a combined line', () => {
  const v = ok(L('GET /search?q=\\"tor\\" HTTP/1.1', '"http://a.example/\\"x\\"" "UA \\"quoted\\" \\\\ end"'));
  assert.equal(v.path, '/search?q="tor"');
  assert.equal(v.referer, 'http://a.example/"x"');
  assert.equal(v.userAgent, 'UA "quoted" \\ end');
});

const requests: Array<[string, string, string, string]> = [
  ['GET /a?b=c HTTP/1.1', 'GET', '/a?b=c', 'HTTP/1.1'],
  ['POST /form HTTP/1.0', 'POST', '/form', 'HTTP/1.0'],
  ['PROPFIND /dav/ HTTP/2.0', 'PROPFIND', '/dav/', 'HTTP/2.0'],
  ['GET /with space HTTP/1.1', 'GET', '/with space', 'HTTP/1.1'],
  ['GET /', 'GET', '/', ''], // HTTP/0.9
  ['GET /x RTSP/1.0', 'GET', '/x RTSP/1.0', ''],
  ['', '', '', ''],
  ['-', '', '', ''],
  ['hello', '', 'hello', ''],
  ['\\x16\\x03\\x01\\x02\\x00\\x01', '', '\\x16\\x03\\x01\\x02\\x00\\x01', ''], // a TLS handshake on a plain port
  ['{"json": 1} HTTP/1.1', '', '{"json": 1} HTTP/1.1', ''],
];
for (const [req, method, path, protocol] of requests) {
  test(`request line ${JSON.stringify(req)} → ${JSON.stringify([method, path, protocol])}`, () => {
    const v = ok(L(req.replace(/"/g, '\\"')));
    assert.deepEqual([v.method, v.path, v.protocol], [method, path, protocol]);
    if (!req.includes('\\')) assert.deepEqual(splitRequestLine(req), { method, path, protocol });
  });
}

test('`-` fields: bytes 0, referer/agent/user empty; a real user name is kept', () => {
  const v = ok('198.51.100.7 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 304 - "-" "-"');
  assert.deepEqual([v.bytes, v.referer, v.userAgent, v.user], [0, '', '', '']);
  assert.equal(ok('198.51.100.7 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 2326 "-" "-"').user, 'frank');
});

test('IPv6 clients: compressed, full, IPv4-mapped, loopback (kept as logged)', () => {
  for (const ip of ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '::ffff:192.0.2.1', '::1', 'fe80::1%eth0']) {
    assert.equal(ok(`${ip} - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"`).remoteAddr, ip);
  }
});

test('CRLF: one trailing \\r is stripped; the result equals the LF line', () => {
  const line = L('GET / HTTP/1.1');
  assert.deepEqual(combined(`${line}\r`), combined(line));
  assert.deepEqual(getParser('common')('::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 -\r'), getParser('common')('::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 -'));
});

test('a whole line wrapped in quotes by a shipper: JSON-string style and plain', () => {
  const line = L('GET /x HTTP/1.1');
  const want = combined(line);
  assert.deepEqual(combined(JSON.stringify(line)), want);
  assert.deepEqual(combined(`"${line}"`), want);
  assert.deepEqual(getParser('auto')(JSON.stringify(line)), want);
  // a line that starts and ends with a quote by itself is parsed as it is (quoted XFF list first, agent last)
  const own = ok('"10.5.102.222, 199.96.1.1" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] "GET / HTTP/1.1" 200 1 "-" "Amazon CloudFront"', getParser('auto'));
  assert.deepEqual([own.remoteAddr, own.xForwardedFor, own.userAgent], ['10.2.1.185', '10.5.102.222, 199.96.1.1', 'Amazon CloudFront']);
});

test('unclosed quotes: lenient only for the last field', () => {
  assert.equal(ok(L('GET / HTTP/1.1', '"-" "Mozilla/5.0 (cut off  ')).userAgent, 'Mozilla/5.0 (cut off');
  assert.deepEqual(rejected('203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1 200 512 "-" "ua"'), {
    reason: 'malformed_line', stage: 'parse', field: 'request', detail: 'expected " <status>" after the closing quote of the request, found "-\\" \\"ua\\""',
  });
  assert.deepEqual(rejected('203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1'), {
    reason: 'malformed_line', stage: 'parse', field: 'request', detail: 'unclosed quote in the request line: "\\"GET / HTTP/1.1"',
  });
});

test('extra fields after the agent: the first quoted one is X-Forwarded-For (nginx main), the rest ignored', () => {
  const v = ok(L('GET / HTTP/1.1', '"-" "ua" "198.51.100.7, 10.0.0.1" 0.005 "other"'));
  assert.deepEqual([v.userAgent, v.xForwardedFor], ['ua', '198.51.100.7, 10.0.0.1']);
  assert.equal(ok(L('GET / HTTP/1.1', '"-" "ua" 0.005')).xForwardedFor, '');
  assert.equal(rejected(L('GET / HTTP/1.1', '"-" "ua"x')).field, 'http_user_agent');
});

const badLines: Array<[string, string, string, string, string]> = [
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 2000 1 "-" "-"', 'bad_status', 'status', '"2000" is not a 3-digit HTTP status'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" OK 1 "-" "-"', 'bad_status', 'status', '"OK" is not a 3-digit HTTP status'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 099 1 "-" "-"', 'bad_status', 'status', '"099" is not a 3-digit HTTP status'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1.5 "-" "-"', 'bad_number', 'body_bytes_sent', '"1.5" is not a byte count (digits or -)'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 -1 "-" "-"', 'bad_number', 'body_bytes_sent', '"-1" is not a byte count (digits or -)'],
  ['common', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200', 'malformed_line', 'body_bytes_sent', 'line ends after the status: no byte count'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.1 200 1', 'malformed_line', 'request', 'expected a quoted request line after [time], found " GET / HTTP/1.1 200 1"'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700 "GET / HTTP/1.1" 200 1', 'malformed_line', 'time_local', 'unclosed "[time" field: "[10/Oct/2000:13:55:36 -0700 \\"GET / HTTP/1.1\\" 200 1"'],
  ['combined', '1.2.3.4 - - 10/Oct/2000:13:55:36 -0700 "GET / HTTP/1.1" 200 1', 'malformed_line', 'time_local', 'no " [time]" field: not a combined access-log line; got "1.2.3.4 - - 10/Oct/2000:13:55:36 -0700 \\"GET / HTTP/1.1\\" 200 …"'],
  ['combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 - "-"', 'malformed_line', 'http_referer', 'expected a quoted referer after the byte count, found " - \\"-\\""'],
  ['combined', 'hello world', 'malformed_line', 'time_local', 'no " [time]" field: not a combined access-log line; got "hello world"'],
  ['vhost_combined', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"', 'malformed_line', 'remote_addr', 'expected "<vhost>[:<port>] <client> <ident> <user> [<time>]", found 3 fields before [time] (no vhost: use combined or auto): "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \\"GET / HTTP/1.1\\" 20…"'],
  ['auto', '{"remote_addr":"1.2.3.4"}', 'malformed_line', 'time_local', 'no " [time]" field: not a auto access-log line; got "{\\"remote_addr\\":\\"1.2.3.4\\"}"'],
];
for (const [format, line, reason, field, detail] of badLines) {
  test(`${format} rejects ${JSON.stringify(line.slice(0, 70))}: ${reason} ${field}`, () => {
    assert.deepEqual(rejected(line, getParser(format)), { reason, stage: 'parse', field, detail });
  });
}

test('empty and blank lines; CR only', () => {
  for (const line of ['', ' ', '\t  ', '\r', ' \r']) {
    assert.deepEqual(rejected(line), { reason: 'empty_line', stage: 'parse', field: 'line', detail: 'line is empty or only whitespace' });
  }
});

test('line length limit: default 64 KiB, configurable, counted in UTF-8 bytes', () => {
  const line = L(`GET /${'a'.repeat(65_536)} HTTP/1.1`);
  assert.deepEqual(rejected(line), { reason: 'line_too_long', stage: 'parse', field: 'line', detail: `line is ${line.length} bytes, the limit is 65536 (maxLineBytes / TORLOGS_MAX_LINE_BYTES)` });
  const small = getParser('combined', { maxLineBytes: 100 });
  const fits = L('GET /x HTTP/1.1', '"-" "-"');
  assert.equal(fits.length <= 100, true);
  assert.ok(small(fits).ok);
  const utf8 = L('GET /é HTTP/1.1', '"-" "ééééééééééééé"'); // fewer than 100 characters, more than 100 bytes
  assert.ok(utf8.length <= 100 && Buffer.byteLength(utf8) > 100);
  assert.equal(rejected(utf8, small).reason, 'line_too_long');
  assert.throws(() => getParser('combined', { maxLineBytes: 0 }), /maxLineBytes must be a positive integer/);
});

test('the parser carries its metadata', () => {
  const p = getParser('vhost_combined');
  assert.deepEqual([p.name, p.hasVhost, p.jsonLines, p.parser === p], ['vhost_combined', true, false, true]);
  assert.deepEqual([combined.name, combined.hasVhost], ['combined', false]);
  assert.deepEqual([getParser('caddy').jsonLines, getParser('auto').hasVhost], [true, true]);
  assert.throws(() => getParser('apache2'), /unknown log format "apache2": use auto, combined, common/);
});
