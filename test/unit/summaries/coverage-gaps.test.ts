import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uncoveredParts } from '../../../shared/reports/coverage-gaps.js';

const H = 3_600_000;
const D = Date.parse('2023-06-03T00:00:00Z');
const cov = (from: string | null, to: string | null, gaps: Array<[string, string]> = []) => ({ intervals: gaps.length + 1, from, to, gaps, hours: 0 });

test('uncovered parts of a day: T ± slack must lie inside merged coverage', () => {
  const cases: Array<{ name: string; c: ReturnType<typeof cov>; slack: number; want: Array<[string, string, RegExp]> }> = [
    { name: 'no history', c: cov(null, null), slack: H, want: [['2023-06-03T00:00:00Z', '2023-06-04T00:00:00Z', /no Tor history/]] },
    { name: 'covered all day', c: cov('2023-06-01T00:00:00Z', '2023-06-06T00:00:00Z'), slack: 24 * H, want: [] },
    { name: 'history ends within the slack', c: cov('2023-06-01T00:00:00Z', '2023-06-04T06:00:00Z'), slack: 24 * H, want: [['2023-06-03T06:00:00Z', '2023-06-04T00:00:00Z', /ends 2023-06-04T06:00:00Z/]] },
    { name: 'history starts within the slack', c: cov('2023-06-03T10:00:00Z', '2023-06-09T00:00:00Z'), slack: H, want: [['2023-06-03T00:00:00Z', '2023-06-03T11:00:00Z', /starts 2023-06-03T10:00:00Z/]] },
    {
      name: 'a 30-minute gap widens by the slack on both sides',
      c: cov('2023-06-01T00:00:00Z', '2023-06-09T00:00:00Z', [['2023-06-03T12:00:00Z', '2023-06-03T12:30:00Z']]),
      slack: H,
      want: [['2023-06-03T11:00:00Z', '2023-06-03T13:30:00Z', /gap in the Tor history .*2023-06-03T12:00:00Z – 2023-06-03T12:30:00Z/]],
    },
  ];
  for (const c of cases) {
    const got = uncoveredParts(c.c, c.slack, D, D + 24 * H);
    assert.equal(got.length, c.want.length, c.name);
    c.want.forEach(([f, t, why], i) => {
      assert.equal(got[i]!.from, f, c.name);
      assert.equal(got[i]!.to, t, c.name);
      assert.match(got[i]!.reason, why, c.name);
    });
  }
});
