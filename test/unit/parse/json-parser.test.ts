/** JSON access logs: the nginx escape=json, Caddy and Traefik presets, custom mappings, and their rejections. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedLine } from '../../../shared/model/parsed-line.js';
import { getParser } from '../../../shared/parse/parser-registry.js';

const base: ParsedLine = {
  tsMs: 0, remoteAddr: '', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '', method: '', path: '', protocol: '',
  status: 0, bytes: 0, referer: '', userAgent: '', durationMs: 0, user: '',
};

// shapes as Caddy v2.7+ (JSON encoder), Traefik v2/v3 (format json, User-Agent header kept) and a common nginx
// `escape=json` log_format write them; addresses from the documentation ranges
const CADDY = '{"level":"info","ts":1709920868.9599843,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"203.0.113.50","remote_port":"10251","client_ip":"203.0.113.50","proto":"HTTP/2.0","method":"HEAD","host":"shop.example","uri":"/.env?x=1","headers":{"User-Agent":["curl/8.2.1"],"Accept":["*/*"],"X-Forwarded-For":["198.51.100.1","198.51.100.2"],"Referer":["https://ref.example/"]}},"bytes_read":0,"user_id":"","duration":0.000049745,"size":1024,"status":308,"resp_headers":{"Server":["Caddy"]}}';
const TRAEFIK = '{"ClientAddr":"192.0.2.10:53124","ClientHost":"192.0.2.10","ClientPort":"53124","ClientUsername":"-","DownstreamContentSize":19,"DownstreamStatus":200,"Duration":2713291,"OriginContentSize":19,"OriginDuration":2573125,"OriginStatus":200,"RequestAddr":"whoami.example","RequestContentSize":0,"RequestCount":1,"RequestHost":"whoami.example","RequestMethod":"GET","RequestPath":"/api?x=1","RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"RouterName":"whoami@docker","StartLocal":"2023-05-04T12:34:56.123456789+02:00","StartUTC":"2023-05-04T10:34:56.123456789Z","entryPointName":"web","level":"info","msg":"","request_User-Agent":"curl/7.88.1","time":"2023-05-04T12:34:56+02:00"}';
const NGINX_JSON = '{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"203.0.113.9","remote_user":"","request":"GET /a?b=1 HTTP/1.1","status": "200","body_bytes_sent":"612","request_time":"0.003","http_referrer":"https://ref.example/","http_user_agent":"Mozilla/5.0 \\"quoted\\"","http_x_forwarded_for":"198.51.100.7","host":"www.example.org"}';

const presets: Array<[string, string, Partial<ParsedLine>]> = [
  ['caddy', CADDY, {
    tsMs: 1_709_920_868_959, remoteAddr: '203.0.113.50', xForwardedFor: '198.51.100.1, 198.51.100.2', vhost: 'shop.example', method: 'HEAD', path: '/.env?x=1',
    protocol: 'HTTP/2.0', status: 308, bytes: 1024, referer: 'https://ref.example/', userAgent: 'curl/8.2.1', durationMs: 0.049745,
  }],
  ['traefik', TRAEFIK, {
    tsMs: Date.UTC(2023, 4, 4, 10, 34, 56, 123), remoteAddr: '192.0.2.10', vhost: 'whoami.example', method: 'GET', path: '/api?x=1', protocol: 'HTTP/1.1',
    status: 200, bytes: 19, userAgent: 'curl/7.88.1', durationMs: 2.713291,
  }],
  ['json', NGINX_JSON, {
    tsMs: Date.UTC(2000, 9, 10, 20, 55, 36), remoteAddr: '203.0.113.9', xForwardedFor: '198.51.100.7', vhost: 'www.example.org', method: 'GET', path: '/a?b=1',
    protocol: 'HTTP/1.1', status: 200, bytes: 612, referer: 'https://ref.example/', userAgent: 'Mozilla/5.0 "quoted"', durationMs: 3,
  }],
  ['nginx_json', '{"time_iso8601":"2000-10-10T13:55:36-07:00","remote_addr":"2001:db8::2","request_method":"POST","request_uri":"/api","server_protocol":"HTTP/2.0","status":201,"body_bytes_sent":0,"msec":"971211336.250"}', {
    tsMs: Date.UTC(2000, 9, 10, 20, 55, 36), remoteAddr: '2001:db8::2', method: 'POST', path: '/api', protocol: 'HTTP/2.0', status: 201,
  }],
];
for (const [preset, line, want] of presets) {
  test(`${preset} preset: exact fields`, () => {
    const p = getParser(preset);
    assert.equal(p.jsonLines, true);
    assert.deepEqual(p(line), { ok: true, value: { ...base, ...want } });
  });
}

test('custom mapping: json:{...} string, object spec, fallbacks between paths, duration units', () => {
  const line = '{"event_datetime":"2024-03-02T14:05:00+00:00","server_name":"shop.example","remote_addr":"198.51.100.7","status":"404","request_method":"GET","request_uri":"/x","body_bytes_sent":153,"request_time":"1500","upstream":{"addr":"10.0.0.3:80"}}';
  const mapping = { ts: 'event_datetime', remote_addr: ['client', 'remote_addr'], status: 'status', method: 'request_method', path: 'request_uri', bytes: 'body_bytes_sent', vhost: 'server_name', duration: 'request_time', duration_unit: 'us' as const };
  const want = { ...base, tsMs: Date.UTC(2024, 2, 2, 14, 5), remoteAddr: '198.51.100.7', status: 404, method: 'GET', path: '/x', bytes: 153, vhost: 'shop.example', durationMs: 1.5 };
  assert.deepEqual(getParser(`json:${JSON.stringify(mapping)}`)(line), { ok: true, value: want });
  const p = getParser({ kind: 'json', mapping });
  assert.deepEqual(p(line), { ok: true, value: want });
  assert.equal(p.hasVhost, true);
  assert.deepEqual(getParser({ kind: 'json', mapping: 'caddy' })(CADDY), getParser('caddy')(CADDY));
});

const rejections: Array<[string, string, string, string, string]> = [
  ['caddy', '{"level":"info","ts":1622829915.9538262,"logger":"admin","msg":"admin endpoint started","address":"tcp/localhost:2019"}', 'missing_field', 'request.remote_ip', 'no client address in the JSON line: none of "request.remote_ip" is present'],
  ['traefik', '{"ClientHost":"192.0.2.10","DownstreamStatus":200}', 'missing_field', 'StartUTC|time', 'no time in the JSON line: none of "StartUTC", "time" is present'],
  ['caddy', 'not json at all', 'bad_json', 'line', 'not a JSON object: Unexpected token \'o\', "not json at all" is not valid JSON'],
  ['caddy', '[1,2]', 'bad_json', 'line', 'a JSON access-log line must be an object, got an array'],
  ['caddy', '"a string"', 'bad_json', 'line', 'a JSON access-log line must be an object, got string'],
  ['caddy', '{"ts":"yesterday","request":{"remote_ip":"192.0.2.1"},"status":200}', 'bad_timestamp', 'ts', '"yesterday": not a time (CLF dd/Mon/yyyy:HH:MM:SS +zzzz, ISO 8601 or epoch seconds/ms)'],
  ['caddy', '{"ts":{"sec":1},"request":{"remote_ip":"192.0.2.1"},"status":200}', 'bad_timestamp', 'ts', '{"sec":1} is not a time (string or number expected)'],
  ['caddy', '{"ts":1709920868.1,"request":{"remote_ip":"192.0.2.1"},"status":"OK"}', 'bad_status', 'status', '"OK" is not a 3-digit HTTP status'],
  ['caddy', '{"ts":1709920868.1,"request":{"remote_ip":"192.0.2.1"},"status":200,"size":-1}', 'bad_number', 'size', '-1 is not a byte count (digits or -)'],
  ['traefik', '{"StartUTC":"2023-05-04T10:34:56Z","ClientHost":"192.0.2.10","Duration":"fast"}', 'bad_number', 'Duration', '"fast" is not a duration'],
  ['json', '{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"192.0.2.1","status":"-"}', 'bad_status', 'status', '"-" is not a 3-digit HTTP status'],
];
for (const [preset, line, reason, field, detail] of rejections) {
  test(`${preset} rejects ${line.slice(0, 50)}…: ${reason} ${field}`, () => {
    assert.deepEqual(getParser(preset)(line), { ok: false, rejection: { reason, stage: 'parse', field, detail } });
  });
}

test('JSON lines: blank lines, CRLF and the length limit are handled before JSON.parse', () => {
  const p = getParser('caddy', { maxLineBytes: 200 });
  assert.equal((p('   ') as { ok: false; rejection: { reason: string } }).rejection.reason, 'empty_line');
  assert.equal((p(CADDY) as { ok: false; rejection: { reason: string } }).rejection.reason, 'line_too_long');
  assert.deepEqual(getParser('caddy')(`${CADDY}\r`), getParser('caddy')(CADDY));
});

const badMappings: Array<[string, RegExp]> = [
  ['json:{"ts":"time"}', /needs "ts" and "remote_addr"/],
  ['json:{"ts":"time","remote_addr":"ip","client":"x"}', /unknown target "client"/],
  ['json:{"ts":"time","remote_addr":"ip","duration_unit":"h"}', /duration_unit must be s, ms, us or ns/],
  ['json:{"ts":"time","remote_addr":5}', /"remote_addr" must be a JSON path or a list of paths/],
  ['json:{ts:time}', /is not JSON/],
  ['json:[]', /must be an object/],
];
for (const [spec, re] of badMappings) {
  test(`bad mapping ${spec}`, () => assert.throws(() => getParser(spec), (e: Error & { code?: string }) => e.code === 'usage_invalid' && re.test(e.message)));
}
