import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chDateTime, lastCompleteWindowStart, windowsBetween } from '../../../shared/summaries/windows.js';
import { ROLLUP_SELECT } from '../../../shared/summaries/rollup-sql.js';

const t = (s: string) => Date.parse(s);

test('the last complete window at a time: an hour or a UTC day that has ended', () => {
  const cases: Array<[string, 'hour' | 'day', string]> = [
    ['2023-06-03T20:10:00Z', 'hour', '2023-06-03T19:00:00Z'],
    ['2023-06-03T20:00:00Z', 'hour', '2023-06-03T19:00:00Z'],
    ['2023-06-03T19:59:59.999Z', 'hour', '2023-06-03T18:00:00Z'],
    ['2023-06-04T00:15:00Z', 'day', '2023-06-03T00:00:00Z'],
    ['2023-06-03T23:59:59Z', 'day', '2023-06-02T00:00:00Z'],
  ];
  for (const [now, g, want] of cases) assert.equal(new Date(lastCompleteWindowStart(t(now), g)).toISOString(), new Date(want).toISOString(), `${now} ${g}`);
});

test('windows between two times, floored to the grain, end exclusive, bounded', () => {
  assert.deepEqual(windowsBetween('hour', t('2023-06-03T20:30:00Z'), t('2023-06-03T23:00:00Z')).map((w) => chDateTime(w.startMs)), ['2023-06-03 20:00:00', '2023-06-03 21:00:00', '2023-06-03 22:00:00']);
  assert.equal(windowsBetween('day', t('2023-06-01T00:00:00Z'), t('2023-07-01T00:00:00Z')).length, 30);
  assert.equal(windowsBetween('hour', t('2023-06-01T00:00:00Z'), t('2023-07-01T00:00:00Z'), 48).length, 48);
});

test('the rollup SQL groups every dimension per site and for all sites, values only as parameters', () => {
  for (const dim of ['v', 'country', 'asn_k', 'cls', 'tor_country', 'tor_asn', 'tor_path']) {
    assert.ok(ROLLUP_SELECT.includes(`(site, ${dim})`) && ROLLUP_SELECT.includes(`(${dim})`), dim);
  }
  assert.match(ROLLUP_SELECT, /\$\{DB\}_tor_verdict\(ip, ts\)/);
  assert.doesNotMatch(ROLLUP_SELECT, /'\d{4}-\d\d-\d\d/);
});
