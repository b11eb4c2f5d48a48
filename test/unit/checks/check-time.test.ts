import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCheckTime, parseDuration } from '../../../shared/checks/check-time.js';

const T = Date.parse('2018-10-31T11:11:00Z');

const ok: Array<[string | number, number, string]> = [
  ['2018-10-31T11:11:00Z', T, 'ISO 8601 with Z'],
  ['2018-10-31T12:11:00+01:00', T, 'ISO 8601 with an offset'],
  ['2018-10-31T06:11:00-0500', T, 'ISO 8601 with a compact offset'],
  ['2018-10-31 11:11:00.250Z', T + 250, 'space separator and milliseconds'],
  ['Wed, 31 Oct 2018 11:11:00 +0000', T, 'RFC 2822'],
  ['31 Oct 2018 12:11:00 +0100', T, 'RFC 2822 without the weekday'],
  ['Wed, 31 Oct 2018 11:11:00 GMT', T, 'RFC 2822 / HTTP date with GMT'],
  ['Wed, 31 Oct 2018 11:11 UT', T, 'RFC 2822 without seconds'],
  ['31/Oct/2018:12:11:00 +0100', T, 'CLF with its zone'],
  ['[31/Oct/2018:11:11:00 +0000]', T, 'CLF in brackets as in access logs'],
  ['1540984260', T, 'epoch seconds'],
  ['1540984260000', T, 'epoch ms'],
  ['1540984260.5', T + 500, 'epoch seconds with a fraction'],
  [1540984260, T, 'epoch seconds as a JSON number'],
  [1540984260000, T, 'epoch ms as a JSON number'],
];
for (const [input, want, why] of ok) {
  test(`time ${JSON.stringify(input)} (${why})`, () => {
    const r = parseCheckTime(input);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.ms, want);
  });
}

const bad: Array<[string | number, RegExp, string]> = [
  ['2018-10-31T11:11:00', /no UTC offset, so the time is ambiguous.*2018-10-31T11:11:00Z/, 'ISO without offset'],
  ['2018-10-31 11:11:00', /ambiguous/, 'ISO with a space, without offset'],
  ['31/Oct/2018:11:11:00', /no UTC offset.*\+0000/, 'CLF without zone'],
  ['2018-02-30T11:11:00Z', /does not exist/, 'impossible date'],
  ['Wed, 31 Foo 2018 11:11:00 +0000', /unknown month "Foo"/, 'bad month'],
  ['31 Oct 2018 25:11:00 +0000', /out of range/, 'bad hour'],
  ['yesterday', /not a time with an offset/, 'words'],
  ["2018-10-31T11:11:00Z' OR 1=1 --", /not a time/, 'injection text'],
  ['', /empty/, 'empty'],
  [-5, /not an epoch/, 'negative number'],
];
for (const [input, want, why] of bad) {
  test(`time ${JSON.stringify(input)} is refused (${why})`, () => {
    const r = parseCheckTime(input);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, want);
  });
}

test('durations', () => {
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('90'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1 week'), null);
  assert.equal(parseDuration('-1h'), null);
});
