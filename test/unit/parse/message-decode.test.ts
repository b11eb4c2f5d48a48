/** Kafka message values → lines: plain lines, CRLF, shipper envelopes (Filebeat, Vector, Fluent Bit), JSON formats, bad bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMessageDecoder, decodeMessage, type DecodedLine, type DecodedReject } from '../../../shared/ingest/message-decode.js';
import { fixtureLines } from '../../helpers/fixtures.js';

const LINE = '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/ HTTP/1.1" 200 203023 "-" "Mozilla/5.0"';
const lines = (r: ReturnType<typeof decodeMessage>) => r.items.map((i) => (i.ok ? i.line : `!${i.rejection.reason}`));
const only = (r: ReturnType<typeof decodeMessage>) => {
  assert.equal(r.items.length, 1);
  return r.items[0]!;
};

const plain: Array<[string, string | Buffer, string[]]> = [
  ['one line', LINE, [LINE]],
  ['one line with a final newline', `${LINE}\n`, [LINE]],
  ['three lines, CRLF', `${LINE}\r\n${LINE}\r\n${LINE}\r\n`, [LINE, LINE, LINE]],
  ['a blank line in the middle is a dead letter, in place', `${LINE}\n\n${LINE}`, [LINE, '!empty_line', LINE]],
  ['whitespace-only line', `${LINE}\n  \t\n`, [LINE, '!empty_line']],
  ['empty value', '', ['!empty_line']],
  ['only a newline', '\n', ['!empty_line']],
  ['a Buffer', Buffer.from(`${LINE}\n${LINE}`), [LINE, LINE]],
  ['an ssl_request_log line starts with "[" and stays a line', '[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 X "GET / HTTP/1.1" 1375', ['[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 X "GET / HTTP/1.1" 1375']],
  ['a bracketed line that is not Fluent Bit JSON stays a line', '[1, 2, 3]', ['[1, 2, 3]']],
];
for (const [name, value, want] of plain) {
  test(`plain: ${name}`, () => {
    const r = decodeMessage(value);
    assert.deepEqual(lines(r), want);
    assert.deepEqual(r.items.map((i) => i.lineIndex), want.map((_, k) => k));
    assert.equal(r.envelope, null);
  });
}

test('every line of the real apache_logs file survives one 10,000-line message unchanged', () => {
  const all = fixtureLines('logs', 'elastic-examples', 'apache_logs');
  const r = decodeMessage(Buffer.from(`${all.join('\n')}\n`));
  assert.equal(r.items.length, 10_000);
  assert.deepEqual(lines(r), all);
});

const FILEBEAT = JSON.stringify({
  '@timestamp': '2024-03-02T14:05:01.123Z', '@metadata': { beat: 'filebeat', type: '_doc', version: '8.12.0' },
  log: { offset: 1234, file: { path: '/var/log/nginx/access.log' } }, message: LINE, input: { type: 'filestream' },
  fields: { site: 'shop.example' }, ecs: { version: '8.0.0' }, host: { name: 'web-1' }, agent: { type: 'filebeat', version: '8.12.0' },
});
const VECTOR = JSON.stringify({ file: '/var/log/apache2/access.log', host: 'web-2', message: LINE, source_type: 'file', timestamp: '2024-03-02T14:05:01.5Z' });
const FLUENT_LOG = JSON.stringify({ log: `${LINE}\n`, stream: 'stdout', time: '2024-03-02T14:05:01.9Z' });
const FLUENT_ARRAY = JSON.stringify([1709388301.9, { log: LINE, hostname: 'web-3', path: '/logs/access.log' }]);

const envelopes: Array<[string, string, string, Record<string, string>]> = [
  ['Filebeat', FILEBEAT, LINE, { shipper: 'filebeat', host: 'web-1', site: 'shop.example', file: '/var/log/nginx/access.log', timestamp: '2024-03-02T14:05:01.123Z' }],
  ['Vector', VECTOR, LINE, { shipper: 'vector', host: 'web-2', site: '', file: '/var/log/apache2/access.log', timestamp: '2024-03-02T14:05:01.5Z' }],
  ['Fluent Bit {"log": "...\\n"} (docker)', FLUENT_LOG, LINE, { shipper: 'fluent-bit', host: '', site: '', file: '', timestamp: '2024-03-02T14:05:01.9Z' }],
  ['Fluent Bit [time, record]', FLUENT_ARRAY, LINE, { shipper: 'fluent-bit', host: 'web-3', site: '', file: '/logs/access.log', timestamp: '1709388301.9' }],
  ['a generic {"message": ...}', JSON.stringify({ message: LINE, site: 'blog.example' }), LINE, { shipper: 'unknown', host: '', site: 'blog.example', file: '', timestamp: '' }],
];
for (const [name, value, line, hints] of envelopes) {
  test(`envelope: ${name}`, () => {
    const r = decodeMessage(value);
    assert.deepEqual(only(r), { ok: true, line, lineIndex: 0, envelope: hints });
    assert.deepEqual(r.envelope, hints);
  });
}

test('several envelopes in one message, CRLF, one per line; hints per line', () => {
  const r = decodeMessage(`${FILEBEAT}\r\n${VECTOR}\r\n${LINE}\r\n`);
  assert.deepEqual(lines(r), [LINE, LINE, LINE]);
  assert.deepEqual(r.items.map((i) => (i as DecodedLine).envelope?.shipper ?? null), ['filebeat', 'vector', null]);
  assert.equal(r.envelope?.shipper, 'filebeat');
});

const bad: Array<[string, string, string, RegExp]> = [
  ['a "{" line that is not JSON', '{"message": "unterminated', 'bad_json', /^line starts with "\{" but is not JSON \(.+\); a shipper envelope must be one JSON object per line$/],
  ['JSON without message or log', '{"msg":"handled request","status":200}', 'bad_envelope', /^JSON envelope without a string "message" or "log" field \(keys: msg, status\); if the log itself is JSON, configure a JSON format/],
  ['message that is not a string', '{"message":{"nested":true}}', 'bad_envelope', /without a string "message"/],
  ['empty message', '{"message":"","host":{"name":"web-1"}}', 'empty_line', /the envelope's "message"\/"log" is empty/],
  ['Fluent Bit array without a log', '[1709388301, {"hostname":"web-3"}]', 'bad_envelope', /\(keys: hostname\)/],
];
for (const [name, value, reason, detail] of bad) {
  test(`dead letter: ${name} → ${reason}`, () => {
    const item = only(decodeMessage(value)) as DecodedReject;
    assert.equal(item.ok, false);
    assert.deepEqual([item.rejection.reason, item.rejection.stage, item.rejection.field, item.raw, item.lineIndex], [reason, 'decode', 'message', value, 0]);
    assert.match(item.rejection.detail, detail);
  });
}

const CADDY = '{"level":"info","ts":1709920868.96,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.50","method":"GET","uri":"/"},"status":200,"size":5}';
test('JSON formats: a JSON line is the record itself, not an envelope', () => {
  assert.deepEqual(only(decodeMessage(CADDY, { jsonLines: true })), { ok: true, line: CADDY, lineIndex: 0, envelope: null });
  // a record that happens to have a "message" that is not JSON stays the record
  const rec = '{"ts":1709920868,"remote_addr":"192.0.2.1","message":"hello"}';
  assert.deepEqual(only(decodeMessage(rec, { jsonLines: true })), { ok: true, line: rec, lineIndex: 0, envelope: null });
  // malformed JSON is left to the parser (which reports bad_json with the parse error)
  assert.deepEqual(only(decodeMessage('{"ts":', { jsonLines: true })), { ok: true, line: '{"ts":', lineIndex: 0, envelope: null });
  // without jsonLines, the same record is an envelope without a message
  assert.equal((only(decodeMessage(CADDY)) as DecodedReject).rejection.reason, 'bad_envelope');
});

test('JSON formats: a shipper wrapping a JSON log line is unwrapped (Filebeat, Fluent Bit array)', () => {
  const fb = JSON.stringify({ '@timestamp': '2024-03-02T14:05:01Z', message: CADDY, agent: { type: 'filebeat' }, host: { hostname: 'edge-1' } });
  assert.deepEqual(only(decodeMessage(fb, { jsonLines: true })), {
    ok: true, line: CADDY, lineIndex: 0, envelope: { shipper: 'filebeat', host: 'edge-1', site: '', file: '', timestamp: '2024-03-02T14:05:01Z' },
  });
  const fluentRecord = JSON.stringify([1709388301, JSON.parse(CADDY) as object]);
  assert.deepEqual(only(decodeMessage(fluentRecord, { jsonLines: true })), { ok: true, line: CADDY, lineIndex: 0, envelope: null });
});

test('bytes that are not UTF-8: escaped as \\xHH by default, bad_encoding when asked, only on their line', () => {
  const value = Buffer.concat([Buffer.from(`${LINE}\nGET /caf`), Buffer.from([0xe9, 0x20, 0xc3, 0xa9, 0xff]), Buffer.from('\r\nlast')]);
  assert.deepEqual(lines(decodeMessage(value)), [LINE, 'GET /caf\\xe9 é\\xff', 'last']);
  const strict = decodeMessage(value, { invalidUtf8: 'reject' });
  assert.deepEqual(lines(strict), [LINE, '!bad_encoding', 'last']);
  const r = strict.items[1] as DecodedReject;
  assert.deepEqual([r.rejection.field, r.rejection.detail, r.raw], ['line', '2 byte(s) are not valid UTF-8, the first at byte 8 of the line', 'GET /caf\\xe9 é\\xff']);
  // overlong, surrogate and out-of-range sequences are invalid too
  assert.deepEqual(lines(decodeMessage(Buffer.from([0xc0, 0xaf, 0x41, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]))), ['\\xc0\\xaf' + 'A\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80']);
});

test('an oversized envelope is line_too_long without being parsed', () => {
  const big = JSON.stringify({ message: 'x'.repeat(6000) });
  const item = only(decodeMessage(big, { maxLineBytes: 256 })) as DecodedReject;
  assert.equal(item.rejection.reason, 'line_too_long');
  assert.match(item.rejection.detail, /over the envelope limit \(4 × maxLineBytes 256 \+ 4096\)/);
});

test('createMessageDecoder: the pipeline stage (options or the jsonLines flag)', () => {
  assert.deepEqual(createMessageDecoder()(Buffer.from(`${FILEBEAT}\n`)), decodeMessage(FILEBEAT).items);
  assert.deepEqual(createMessageDecoder(true)(Buffer.from(CADDY)), decodeMessage(CADDY, { jsonLines: true }).items);
  assert.deepEqual(createMessageDecoder({ jsonLines: false })(Buffer.from(CADDY)), decodeMessage(CADDY).items);
});
