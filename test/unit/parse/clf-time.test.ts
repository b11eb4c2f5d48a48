/** Timestamps to UTC epoch ms: CLF with offsets (and its cache), ISO 8601, epoch s/ms/µs/ns; exact errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clfTimeMsAt, parseAnyTime, parseClfTime, parseEpochTime, parseIsoTime } from '../../../shared/parse/clf-time.js';
import { getParser } from '../../../shared/parse/parser-registry.js';

const clfOk: Array<[string, number]> = [
  ['10/Oct/2000:13:55:36 -0700', Date.UTC(2000, 9, 10, 20, 55, 36)],
  ['10/Oct/2000:13:55:36 +0000', Date.UTC(2000, 9, 10, 13, 55, 36)],
  ['17/May/2015:10:05:03 +0530', Date.UTC(2015, 4, 17, 4, 35, 3)],
  ['17/May/2015:10:05:03 -0930', Date.UTC(2015, 4, 17, 19, 35, 3)],
  ['01/Jan/2000:00:30:00 +0100', Date.UTC(1999, 11, 31, 23, 30, 0)],
  ['31/Dec/2023:23:59:59 -1200', Date.UTC(2024, 0, 1, 11, 59, 59)],
  ['29/Feb/2016:12:00:00 +1400', Date.UTC(2016, 1, 28, 22, 0, 0)],
  ['29/Feb/2000:12:00:00 +0000', Date.UTC(2000, 1, 29, 12, 0, 0)],
  ['10/Oct/2000:13:55:36', Date.UTC(2000, 9, 10, 13, 55, 36)],
];
for (const [s, ms] of clfOk) {
  test(`CLF ${s} → ${new Date(ms).toISOString()}`, () => {
    assert.deepEqual(parseClfTime(s), { ok: true, ms });
    if (s.length === 26) assert.equal(clfTimeMsAt(`x [${s}] y`, 3), ms);
  });
}

const clfBad: Array<[string, string]> = [
  ['10/Foo/2000:13:55:36 -0700', '"10/Foo/2000:13:55:36 -0700": unknown month "Foo"'],
  ['10/oct/2000:13:55:36 -0700', '"10/oct/2000:13:55:36 -0700": unknown month "oct"'],
  ['31/Apr/2020:13:55:36 -0700', '"31/Apr/2020:13:55:36 -0700": day 31 does not exist in 2020-04'],
  ['29/Feb/2015:13:55:36 -0700', '"29/Feb/2015:13:55:36 -0700": day 29 does not exist in 2015-02'],
  ['00/Jan/2015:13:55:36 -0700', '"00/Jan/2015:13:55:36 -0700": day 0 does not exist in 2015-01'],
  ['10/Oct/1969:13:55:36 -0700', '"10/Oct/1969:13:55:36 -0700": year 1969 out of range 1970..2199'],
  ['10/Oct/20x0:13:55:36 -0700', '"10/Oct/20x0:13:55:36 -0700": day and year must be digits'],
  ['10/Oct/2000:24:00:00 -0700', '"10/Oct/2000:24:00:00 -0700": time of day "24:00:00" out of range'],
  ['10/Oct/2000:13:61:36 -0700', '"10/Oct/2000:13:61:36 -0700": time of day "13:61:36" out of range'],
  ['10/Oct/2000:13:55:36 +2500', '"10/Oct/2000:13:55:36 +2500": bad zone offset "+2500" (expected +hhmm or -hhmm)'],
  ['10/Oct/2000:13:55:36 0700X', '"10/Oct/2000:13:55:36 0700X": bad zone offset "0700X" (expected +hhmm or -hhmm)'],
  ['10-Oct-2000:13:55:36 -0700', '"10-Oct-2000:13:55:36 -0700": expected dd/Mon/yyyy:HH:MM:SS +zzzz'],
  ['10/Oct/2000:13:55:36.123 -0700', '"10/Oct/2000:13:55:36.123 -0700": expected dd/Mon/yyyy:HH:MM:SS +zzzz (26 characters), got 30'],
];
for (const [s, error] of clfBad) {
  test(`CLF ${s} is rejected: ${error}`, () => {
    assert.deepEqual(parseClfTime(s), { ok: false, error });
    if (s.length === 26) assert.ok(Number.isNaN(clfTimeMsAt(s, 0)));
  });
}

test('the CLF cache never leaks a day or zone into another line (interleaved days, zones, invalid lines)', () => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const zones = ['+0000', '-0700', '+0530', '+0100', '-0000'];
  let seed = 42;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const p2 = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < 5000; i++) {
    const y = 1990 + rnd(40), mo = rnd(12), d = 1 + rnd(28), h = rnd(24), mi = rnd(60), s = rnd(60);
    const z = zones[rnd(zones.length)]!;
    const text = `${p2(d)}/${months[mo]}/${y}:${p2(h)}:${p2(mi)}:${p2(s)} ${z}`;
    const off = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3))) * 60_000;
    assert.equal(clfTimeMsAt(`1.2.3.4 - - [${text}] "GET / HTTP/1.1" 200 1`, 13), Date.UTC(y, mo, d, h, mi, s) - off, text);
    if (i % 7 === 0) assert.ok(Number.isNaN(clfTimeMsAt(`${text.slice(0, 12)}25${text.slice(14)}`, 0)), 'same cached day, bad hour');
    if (i % 11 === 0) assert.ok(Number.isNaN(clfTimeMsAt(`${text.slice(0, 21)}+99${text.slice(24)}`, 0)), 'bad zone after a cached one');
  }
});

test('through the parser: bad_timestamp names the field and the problem', () => {
  const r = getParser('combined')('1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"');
  assert.deepEqual(r, { ok: false, rejection: { reason: 'bad_timestamp', stage: 'parse', field: 'time_local', detail: '"10/Foo/2000:13:55:36 -0700": unknown month "Foo"' } });
  const long = getParser('combined')('1.2.3.4 - - [10/Oct/2000:13:55:36.5 -0700] "GET / HTTP/1.1" 200 1 "-" "-"');
  assert.ok(!long.ok);
  assert.equal(long.rejection.reason, 'bad_timestamp');
  assert.match(long.rejection.detail, /26 characters\), got 28$/);
});

const iso: Array<[string, number | string]> = [
  ['2019-03-12T14:05:00+01:00', Date.UTC(2019, 2, 12, 13, 5, 0)],
  ['2019-03-12T14:05:00Z', Date.UTC(2019, 2, 12, 14, 5, 0)],
  ['2019-03-12T14:05:00.123456789Z', Date.UTC(2019, 2, 12, 14, 5, 0, 123)],
  ['2019-03-12T14:05:00.5-0800', Date.UTC(2019, 2, 12, 22, 5, 0, 500)],
  ['2019-03-12T14:05:00+0530', Date.UTC(2019, 2, 12, 8, 35, 0)],
  ['2019-03-12T14:05:00-08', Date.UTC(2019, 2, 12, 22, 5, 0)],
  ['2019-03-12 14:05:00', Date.UTC(2019, 2, 12, 14, 5, 0)],
  ['2019-02-30T14:05:00Z', '"2019-02-30T14:05:00Z": day 30 does not exist in 2019-02'],
  ['2019-03-12T25:05:00Z', '"2019-03-12T25:05:00Z": time of day out of range'],
  ['2019-03-12', '"2019-03-12": not an ISO 8601 time (yyyy-mm-ddTHH:MM:SS[.frac][Z|±hh:mm])'],
];
for (const [s, want] of iso) {
  test(`ISO ${s}`, () => assert.deepEqual(parseIsoTime(s), typeof want === 'number' ? { ok: true, ms: want } : { ok: false, error: want }));
}

const epoch: Array<[string | number, number | string]> = [
  ['1700000000', 1_700_000_000_000],
  ['1700000000.123', 1_700_000_000_123], // nginx $msec, digit-exact
  ['1700000000.1', 1_700_000_000_100],
  [1646861401.5241024, 1_646_861_401_524], // Caddy ts
  [1700000000.123, 1_700_000_000_123],
  ['1700000000123', 1_700_000_000_123],
  ['1700000000123456', 1_700_000_000_123], // µs (Apache %{usec}t)
  ['1700000000123456789', 1_700_000_000_123], // ns
  ['0', '"0": epoch time out of range 1970..2199'],
  ['17e8', '"17e8": not an epoch time (digits with an optional .fraction)'],
  [-5, '-5: not an epoch time'],
];
for (const [v, want] of epoch) {
  test(`epoch ${v}`, () => assert.deepEqual(parseEpochTime(v), typeof want === 'number' ? { ok: true, ms: want } : { ok: false, error: want }));
}

test('parseAnyTime picks the shape', () => {
  const t = Date.UTC(2000, 9, 10, 20, 55, 36);
  for (const v of ['[10/Oct/2000:13:55:36 -0700]', '10/Oct/2000:13:55:36 -0700', '2000-10-10T13:55:36-07:00', '971211336', 971211336, '971211336000']) {
    assert.deepEqual(parseAnyTime(v), { ok: true, ms: t }, String(v));
  }
  assert.deepEqual(parseAnyTime('yesterday'), { ok: false, error: '"yesterday": not a time (CLF dd/Mon/yyyy:HH:MM:SS +zzzz, ISO 8601 or epoch seconds/ms)' });
});
