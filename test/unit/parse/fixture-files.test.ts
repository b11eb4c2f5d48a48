/** Every real log file: exact accepted / rejected counts per reason code with the format one would configure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { fixtureLines } from '../../helpers/fixtures.js';

const SSL_FORMAT = 'apache:%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b';

const cases: Array<[string, string, Record<string, number>]> = [
  ['elastic-examples/apache_logs', 'combined', { ok: 10_000 }],
  ['elastic-beats-fixtures/apache-access-darwin-2.4.23.log', 'auto', { ok: 6 }],
  ['elastic-beats-fixtures/apache-access-ssl-request.log', SSL_FORMAT, { ok: 2 }],
  ['elastic-beats-fixtures/apache-access-ssl-request.log', 'auto', { malformed_line: 2 }],
  ['elastic-beats-fixtures/apache-access-test-vhost.log', 'vhost_combined', { ok: 1 }],
  ['elastic-beats-fixtures/apache-access-test.log', 'auto', { ok: 7 }],
  ['elastic-beats-fixtures/nginx-access-access.log', 'auto', { ok: 13 }],
  ['elastic-beats-fixtures/nginx-access-test-with-host.log', 'auto', { ok: 10 }],
  ['elastic-beats-fixtures/nginx-access-test.log', 'auto', { ok: 7 }],
  ['lnav-fixtures/logfile_access_log.0', 'combined', { ok: 3 }],
  ['lnav-fixtures/logfile_bad_access_log.0', 'combined', { ok: 2, malformed_line: 1 }],
];

for (const [file, format, expected] of cases) {
  test(`${file} with ${format.length > 20 ? 'the mod_ssl LogFormat' : format}: ${JSON.stringify(expected)}`, () => {
    const { parser } = getParser(format);
    const counts: Record<string, number> = {};
    for (const line of fixtureLines('logs', ...file.split('/'))) {
      const r = parser(line);
      const key = r.ok ? 'ok' : r.rejection.reason;
      counts[key] = (counts[key] ?? 0) + 1;
      if (!r.ok) {
        assert.ok(r.rejection.field.length > 0, 'a rejection names its field');
        assert.ok(r.rejection.detail.length > 10, 'a rejection says what was wrong');
      }
    }
    assert.deepEqual(counts, expected);
  });
}

test('apache_logs: first and last line, exact fields', () => {
  const lines = fixtureLines('logs', 'elastic-examples', 'apache_logs');
  const { parser } = getParser('combined');
  const first = parser(lines[0]!);
  assert.ok(first.ok);
  assert.deepEqual(first.value, {
    tsMs: Date.UTC(2015, 4, 17, 10, 5, 3), remoteAddr: '83.149.9.216', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '',
    method: 'GET', path: '/presentations/logstash-monitorama-2013/images/kibana-search.png', protocol: 'HTTP/1.1', status: 200, bytes: 203023,
    referer: 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
    durationMs: 0, user: '',
  });
  const last = parser(lines[lines.length - 1]!);
  assert.ok(last.ok);
  assert.equal(last.value.remoteAddr, '46.105.14.53');
  assert.equal(last.value.path, '/blog/tags/puppet?flav=rss20');
  assert.equal(last.value.tsMs, Date.UTC(2015, 4, 20, 21, 5, 15));
});

test('apache_logs: the line with an unclosed user-agent quote is kept, the agent runs to the end of the line', () => {
  const line = fixtureLines('logs', 'elastic-examples', 'apache_logs').find((l) => l.startsWith('46.118.127.106') && l.includes('grok-py-test/configlib.py'))!;
  const r = getParser('combined').parser(line);
  assert.ok(r.ok);
  assert.equal(r.value.userAgent, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html');
  assert.equal(r.value.status, 200);
});

const nginxHost = fixtureLines('logs', 'elastic-beats-fixtures', 'nginx-access-test-with-host.log');
const spot: Array<[string, number, Partial<Record<string, unknown>>]> = [
  ['vhost + forwarded list before the connecting address', 0, { vhost: 'example.com', remoteAddr: '127.0.0.1', xForwardedFor: '10.0.0.2, 10.0.0.1' }],
  ['host:port vhost', 3, { vhost: 'example.com:80', remoteAddr: '81.2.69.143', xForwardedFor: '' }],
  ['quoted CloudFront list then the connecting address', 4, { vhost: 'example.com:80', remoteAddr: '10.2.1.185', xForwardedFor: '10.5.102.222, 175.16.199.1, 204.246.1.1' }],
  ['expanded IPv6 in the forwarded list', 5, { vhost: '1.128.3.4', remoteAddr: '10.2.2.121', xForwardedFor: '2a02:cf40:10ff:f00f:0000:0000:0:8000, 10.225.192.17' }],
  ['empty request "" with 400', 6, { method: '', path: '', protocol: '', status: 400, bytes: 0 }],
  ['unix: client and a junk request', 7, { remoteAddr: 'unix:', method: '', path: 'hello', status: 400 }],
];
for (const [name, idx, want] of spot) {
  test(`nginx with host: ${name}`, () => {
    const r = getParser('auto').parser(nginxHost[idx]!);
    assert.ok(r.ok, JSON.stringify(r));
    for (const [k, v] of Object.entries(want)) assert.deepEqual((r.value as unknown as Record<string, unknown>)[k], v, k);
  });
}

test('apache: "-" request with 408 and bytes "-", IPv6 ::1 client, offsets to UTC', () => {
  const r = getParser('auto').parser(fixtureLines('logs', 'elastic-beats-fixtures', 'apache-access-darwin-2.4.23.log')[2]!);
  assert.ok(r.ok);
  assert.equal(r.value.remoteAddr, '::1');
  assert.equal(r.value.status, 408);
  assert.equal(r.value.bytes, 0);
  assert.equal(r.value.path, '');
  assert.equal(r.value.tsMs, Date.UTC(2016, 11, 26, 14, 16, 48)); // 16:16:48 +0200
});

test('apache: an extra trailing quoted field is the X-Forwarded-For header', () => {
  const r = getParser('auto').parser(fixtureLines('logs', 'elastic-beats-fixtures', 'apache-access-test.log')[3]!);
  assert.ok(r.ok);
  assert.equal(r.value.xForwardedFor, ''); // "-"
  assert.equal(r.value.userAgent, 'Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2');
});

test('mod_ssl request log through an Apache LogFormat string', () => {
  const r = getParser(SSL_FORMAT).parser(fixtureLines('logs', 'elastic-beats-fixtures', 'apache-access-ssl-request.log')[1]!);
  assert.ok(r.ok);
  assert.equal(r.value.remoteAddr, '81.2.69.143');
  assert.equal(r.value.method, 'GET');
  assert.ok(r.value.path.startsWith('/appl/ajaxhelper.php?cmd=getxicoreajax'));
  assert.equal(r.value.bytes, 0);
  assert.equal(r.value.tsMs, Date.UTC(2019, 9, 16, 9, 53, 47));
});

test('the bad lnav line names the field and says what it expected', () => {
  const r = getParser('combined').parser(fixtureLines('logs', 'lnav-fixtures', 'logfile_bad_access_log.0')[1]!);
  assert.ok(!r.ok);
  assert.equal(r.rejection.reason, 'malformed_line');
  assert.equal(r.rejection.field, 'remote_addr');
  assert.match(r.rejection.detail, /client ident user/);
});
