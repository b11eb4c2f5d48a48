/**
 * Every real log file in test/fixtures/logs: exact accepted / rejected counts per reason code with the format one
 * would configure for it (and with the formats one might wrongly configure), plus exact fields of specific lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { ParsedLine } from '../../../shared/model/parsed-line.js';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { fixture, fixtureLines } from '../../helpers/fixtures.js';

type Counts = Record<string, number>;

/** [file, format, counts]: the first row of a file is the format to configure for it */
const cases: Array<[string, string, Counts]> = [
  ['elastic-examples/apache_logs', 'combined', { ok: 10_000 }],
  ['elastic-examples/apache_logs', 'auto', { ok: 10_000 }],
  ['elastic-examples/apache_logs', 'common', { malformed_line: 10_000 }],
  ['elastic-beats-fixtures/apache-access-darwin-2.4.23.log', 'common', { ok: 6 }],
  ['elastic-beats-fixtures/apache-access-darwin-2.4.23.log', 'auto', { ok: 6 }],
  ['elastic-beats-fixtures/apache-access-darwin-2.4.23.log', 'combined', { malformed_line: 6 }],
  ['elastic-beats-fixtures/apache-access-ssl-request.log', 'apache_ssl_request', { ok: 2 }],
  ['elastic-beats-fixtures/apache-access-ssl-request.log', 'auto', { malformed_line: 2 }],
  ['elastic-beats-fixtures/apache-access-test-vhost.log', 'vhost_combined', { ok: 1 }],
  ['elastic-beats-fixtures/apache-access-test-vhost.log', 'auto', { ok: 1 }],
  ['elastic-beats-fixtures/apache-access-test-vhost.log', 'combined', { malformed_line: 1 }],
  ['elastic-beats-fixtures/apache-access-test.log', 'auto', { ok: 7 }],
  ['elastic-beats-fixtures/apache-access-test.log', 'combined', { ok: 4, malformed_line: 3 }],
  ['elastic-beats-fixtures/nginx-access-access.log', 'auto', { ok: 13 }],
  ['elastic-beats-fixtures/nginx-access-access.log', 'combined', { ok: 12, malformed_line: 1 }],
  ['elastic-beats-fixtures/nginx-access-test-with-host.log', 'auto', { ok: 10 }],
  ['elastic-beats-fixtures/nginx-access-test-with-host.log', 'vhost_combined', { ok: 5, malformed_line: 5 }],
  ['elastic-beats-fixtures/nginx-access-test.log', 'auto', { ok: 7 }],
  ['elastic-beats-fixtures/nginx-access-test.log', 'combined', { ok: 3, malformed_line: 4 }],
  ['lnav-fixtures/logfile_access_log.0', 'combined', { ok: 3 }],
  ['lnav-fixtures/logfile_bad_access_log.0', 'combined', { ok: 2, malformed_line: 1 }],
  ['lnav-fixtures/logfile_bad_access_log.0', 'auto', { ok: 2, malformed_line: 1 }],
];

const lines = (file: string) => fixtureLines('logs', ...file.split('/'));

test('every fixture log file has a configured-format case', () => {
  const files = readdirSync(fixture('logs'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(fixture('logs', d.name)).map((f) => `${d.name}/${f}`));
  assert.equal(files.length, 10);
  for (const f of files) assert.ok(cases.some(([file]) => file === f), `no case for ${f}`);
});

for (const [file, format, expected] of cases) {
  test(`${file} as ${format}: ${JSON.stringify(expected)}`, () => {
    const parse = getParser(format);
    const counts: Counts = {};
    for (const line of lines(file)) {
      const r = parse(line);
      const key = r.ok ? 'ok' : r.rejection.reason;
      counts[key] = (counts[key] ?? 0) + 1;
      if (!r.ok) {
        assert.equal(r.rejection.stage, 'parse');
        assert.ok(r.rejection.field.length > 0, 'a rejection names its field');
        assert.ok(r.rejection.detail.length > 20, 'a rejection says what was wrong');
      }
    }
    assert.deepEqual(counts, expected);
  });
}

const base: ParsedLine = {
  tsMs: 0, remoteAddr: '', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '', method: '', path: '', protocol: '',
  status: 0, bytes: 0, referer: '', userAgent: '', durationMs: 0, user: '',
};
const FIREFOX_15 = 'Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2';

/** [name, file, line index, format, every field of the ParsedLine] */
const spots: Array<[string, string, number, string, Partial<ParsedLine>]> = [
  ['apache_logs first line', 'elastic-examples/apache_logs', 0, 'combined', {
    tsMs: Date.UTC(2015, 4, 17, 10, 5, 3), remoteAddr: '83.149.9.216', method: 'GET', path: '/presentations/logstash-monitorama-2013/images/kibana-search.png',
    protocol: 'HTTP/1.1', status: 200, bytes: 203023, referer: 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
  }],
  ['apache_logs last line', 'elastic-examples/apache_logs', 9999, 'combined', {
    tsMs: Date.UTC(2015, 4, 20, 21, 5, 15), remoteAddr: '46.105.14.53', method: 'GET', path: '/blog/tags/puppet?flav=rss20', protocol: 'HTTP/1.1',
    status: 200, bytes: 14872, userAgent: 'UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/',
  }],
  ['apache_logs unclosed user-agent quote: the agent runs to the end of the line', 'elastic-examples/apache_logs', 8898, 'combined', {
    tsMs: Date.UTC(2015, 4, 20, 12, 5, 17), remoteAddr: '46.118.127.106', method: 'GET', path: '/scripts/grok-py-test/configlib.py', protocol: 'HTTP/1.1',
    status: 200, bytes: 235, userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html',
  }],
  ['apache_logs cp1251 \\xHH referer: kept as the server escaped it', 'elastic-examples/apache_logs', 5850, 'combined', {
    tsMs: Date.UTC(2015, 4, 19, 11, 5, 10), remoteAddr: '201.242.142.135', method: 'GET', path: '/files/logstash/', protocol: 'HTTP/1.0', status: 200, bytes: 13316,
    referer: 'http://\\xe4\\xe5\\xe3\\xf2\\xff\\xf0\\xed\\xee\\xe5-\\xec\\xfb\\xeb\\xee.\\xf0\\xf4/', userAgent: 'Mozilla/5.0 (Windows NT 6.1; rv:11.0) Gecko/20100101 Firefox/11.0',
  }],
  ['IPv6 ::1 client, +0200 to UTC', 'elastic-beats-fixtures/apache-access-darwin-2.4.23.log', 0, 'common', {
    tsMs: Date.UTC(2016, 11, 26, 14, 16, 28), remoteAddr: '::1', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 200, bytes: 45,
  }],
  ['"-" 408 -: nothing received', 'elastic-beats-fixtures/apache-access-darwin-2.4.23.log', 2, 'common', {
    tsMs: Date.UTC(2016, 11, 26, 14, 16, 48), remoteAddr: '::1', status: 408,
  }],
  ['a hostname as client, extra "-" field', 'elastic-beats-fixtures/apache-access-test.log', 4, 'auto', {
    tsMs: Date.UTC(2017, 4, 29, 19, 2, 48), remoteAddr: 'monitoring-server', method: 'GET', path: '/status', protocol: 'HTTP/1.1', status: 200, bytes: 612, userAgent: FIREFOX_15,
  }],
  ['"-" 408 152 "-" "-", +0100', 'elastic-beats-fixtures/apache-access-test.log', 5, 'auto', {
    tsMs: Date.UTC(2019, 1, 2, 4, 38, 45), remoteAddr: '127.0.0.1', status: 408, bytes: 152,
  }],
  ['vhost line', 'elastic-beats-fixtures/apache-access-test-vhost.log', 0, 'vhost_combined', {
    tsMs: Date.UTC(2019, 6, 4, 7, 20, 46), remoteAddr: '123.123.123.123', vhost: 'vhost1.domaine.fr', method: 'GET', path: '/', protocol: 'HTTP/1.1', status: 200, bytes: 32953,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.  3770.100 Safari/537.36',
  }],
  ['vhost prefix in a combined file, -0700 to UTC', 'elastic-beats-fixtures/nginx-access-access.log', 12, 'auto', {
    tsMs: Date.UTC(2020, 5, 9, 19, 10, 39), remoteAddr: '192.168.0.1', vhost: 'lessons.example.com', method: 'GET',
    path: '/A%20Beka%20G1%20Howe/029_AND_30/15%20reading%20elephants.mp4', protocol: 'HTTP/1.1', status: 206, bytes: 7648063,
    referer: 'http://lessons.example.com/A%20Beka%20G1%20Howe/029_AND_30/15%20reading%20elephants.mp4',
    userAgent: 'Mozilla/5.0 (Linux; Android 5.1.1; KFFOWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/81.2.16 like Chrome/81.0.4044.138 Safari/537.36',
  }],
  ['X-Forwarded-For list before the connecting address', 'elastic-beats-fixtures/nginx-access-test.log', 0, 'auto', {
    tsMs: Date.UTC(2016, 11, 7, 10, 5, 7), remoteAddr: '127.0.0.1', xForwardedFor: '10.0.0.2, 10.0.0.1', method: 'GET', path: '/ocelot', protocol: 'HTTP/1.1',
    status: 200, bytes: 571, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0',
  }],
  ['quoted CloudFront list, then the connecting address', 'elastic-beats-fixtures/nginx-access-test.log', 4, 'auto', {
    tsMs: Date.UTC(2016, 0, 22, 13, 18, 29), remoteAddr: '10.2.1.185', xForwardedFor: '10.5.102.222, 199.96.1.1, 204.246.1.1', method: 'GET', path: '/assets/xxxx?q=100',
    protocol: 'HTTP/1.1', status: 200, bytes: 25507, userAgent: 'Amazon CloudFront',
  }],
  ['zero-padded IPv6 in an unquoted list', 'elastic-beats-fixtures/nginx-access-test.log', 5, 'auto', {
    tsMs: Date.UTC(2016, 11, 30, 6, 47, 9), remoteAddr: '10.2.2.121', xForwardedFor: '2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17', method: 'GET', path: '/test.html',
    protocol: 'HTTP/1.1', status: 404, bytes: 8571, userAgent: 'Mozilla/5.0 (compatible; Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  }],
  ['empty request "" with 400', 'elastic-beats-fixtures/nginx-access-test.log', 6, 'auto', {
    tsMs: Date.UTC(2018, 3, 12, 7, 48, 40), remoteAddr: '127.0.0.1', status: 400,
  }],
  ['vhost + list + address', 'elastic-beats-fixtures/nginx-access-test-with-host.log', 0, 'auto', {
    tsMs: Date.UTC(2016, 11, 7, 10, 5, 7), remoteAddr: '127.0.0.1', xForwardedFor: '10.0.0.2, 10.0.0.1', vhost: 'example.com', method: 'GET', path: '/ocelot',
    protocol: 'HTTP/1.1', status: 200, bytes: 571, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0',
  }],
  ['host:port vhost (port dropped) and a quoted list', 'elastic-beats-fixtures/nginx-access-test-with-host.log', 4, 'auto', {
    tsMs: Date.UTC(2016, 0, 22, 13, 18, 29), remoteAddr: '10.2.1.185', xForwardedFor: '10.5.102.222, 175.16.199.1, 204.246.1.1', vhost: 'example.com', method: 'GET',
    path: '/assets/xxxx?q=100', protocol: 'HTTP/1.1', status: 200, bytes: 25507, userAgent: 'Amazon CloudFront',
  }],
  ['unix: client and a junk request "hello" (kept as the path)', 'elastic-beats-fixtures/nginx-access-test-with-host.log', 7, 'auto', {
    tsMs: Date.UTC(2019, 1, 26, 14, 39, 42), remoteAddr: 'unix:', vhost: 'example.com', path: 'hello', status: 400, bytes: 173,
  }],
  ['vhost that is an IP, hostname client', 'elastic-beats-fixtures/nginx-access-test-with-host.log', 8, 'auto', {
    tsMs: Date.UTC(2017, 4, 29, 19, 2, 48), remoteAddr: 'localhost', vhost: '1.128.3.4', method: 'GET', path: '/test2', protocol: 'HTTP/1.1', status: 200, bytes: 612, userAgent: FIREFOX_15,
  }],
  ['mod_ssl request log: no status logged (0), bytes "-"', 'elastic-beats-fixtures/apache-access-ssl-request.log', 1, 'apache_ssl_request', {
    tsMs: Date.UTC(2019, 9, 16, 9, 53, 47), remoteAddr: '81.2.69.143', method: 'GET', protocol: 'HTTP/1.1',
    path: '/appl/ajaxhelper.php?cmd=getxicoreajax&opts=%7B%22func%22%3A%22get_pagetop_alert_content_html%22%2C%22args%22%3A%22%22%7D&nsp=c2700eab9797eda8a9f65a3ab17a6adbceccd60a6cca7708650a5923950d',
  }],
  ['lnav: HTTP/1.0 request', 'lnav-fixtures/logfile_access_log.0', 1, 'combined', {
    tsMs: Date.UTC(2009, 6, 20, 22, 59, 29), remoteAddr: '192.168.202.254', method: 'GET', path: '/vmw/vSphere/default/vmkboot.gz', protocol: 'HTTP/1.0',
    status: 404, bytes: 46210, userAgent: 'gPXE/0.9.7',
  }],
];

for (const [name, file, idx, format, want] of spots) {
  test(`exact fields: ${name}`, () => {
    const r = getParser(format)(lines(file)[idx]!);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, { ...base, ...want });
  });
}

test('the bad lnav line: the ident and user fields are missing; the rejection says so', () => {
  const r = getParser('combined')(lines('lnav-fixtures/logfile_bad_access_log.0')[1]!);
  assert.deepEqual(r, {
    ok: false,
    rejection: {
      reason: 'malformed_line', stage: 'parse', field: 'remote_addr',
      detail: 'expected "<client> <ident> <user> [<time>]", found 1 field before [time]: "192.168.202.254 [20/Jul/2009:22:59:29 +0000] \\"GET /vmw/vSphe…"',
    },
  });
});

test('wrong format configured: the rejection says which format the line looks like', () => {
  const common = getParser('common')(lines('elastic-examples/apache_logs')[0]!);
  assert.ok(!common.ok);
  assert.equal(common.rejection.field, 'line');
  assert.match(common.rejection.detail, /unexpected text after the byte count: .*\(a combined line\? use combined or auto\)$/);
  const combined = getParser('combined')(lines('elastic-beats-fixtures/apache-access-darwin-2.4.23.log')[0]!);
  assert.ok(!combined.ok);
  assert.equal(combined.rejection.detail, 'line ends after the byte count: no "referer" "user agent" (a common-format line? use common or auto)');
  const vhost = getParser('combined')(lines('elastic-beats-fixtures/apache-access-test-vhost.log')[0]!);
  assert.ok(!vhost.ok);
  assert.match(vhost.rejection.detail, /found 4 fields before \[time\] \(a vhost prefix\? use vhost_combined or auto\)/);
  const ssl = getParser('auto')(lines('elastic-beats-fixtures/apache-access-ssl-request.log')[0]!);
  assert.ok(!ssl.ok);
  assert.match(ssl.rejection.detail, /^line starts with "\[time\]", not with a client address: mod_ssl's ssl_request_log\? \(format apache_ssl_request\)/);
});

test('auto and combined agree field by field on all 10,000 apache_logs lines', () => {
  const auto = getParser('auto');
  const combined = getParser('combined');
  for (const line of lines('elastic-examples/apache_logs')) assert.deepEqual(auto(line), combined(line));
});
