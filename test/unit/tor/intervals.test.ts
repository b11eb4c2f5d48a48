/** Interval arithmetic behind the membership rule and coverage, table-driven. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findContaining, flatten, joinWindows, uncovered } from '../../../shared/tor/intervals.js';
import { exitIntervals, type ObservationRecord } from '../../../shared/tor/tor-history.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';

const M = 60_000;
const w = (f: number, t: number) => ({ fromMs: f * M, toMs: t * M });

const joins: Array<[string, Array<{ fromMs: number; toMs: number }>, number, Array<[number, number, number]>]> = [
  ['points 60 min apart, gap 90', [w(0, 0), w(60, 60), w(120, 120)], 90 * M, [[0, 120, 3]]],
  ['a missing point (120 min) breaks', [w(0, 0), w(60, 60), w(180, 180)], 90 * M, [[0, 60, 2], [180, 180, 1]]],
  ['exactly the gap joins', [w(0, 0), w(90, 90)], 90 * M, [[0, 90, 2]]],
  ['unsorted input, nested spans', [w(50, 60), w(0, 100), w(10, 20)], 0, [[0, 100, 3]]],
  ['touching spans with gap 0', [w(0, 60), w(60, 120)], 0, [[0, 120, 2]]],
  ['1 ms apart with gap 0', [{ fromMs: 0, toMs: 10 }, { fromMs: 11, toMs: 20 }], 0, [[0, 10 / M, 1], [11 / M, 20 / M, 1]]],
];
for (const [name, input, gap, want] of joins) {
  test(`joinWindows: ${name}`, () => {
    assert.deepEqual(joinWindows(input, gap).map((i) => [i.fromMs / M, i.toMs / M, i.count]), want);
  });
}

test('findContaining: inclusive bounds over a flat array', () => {
  const f = flatten([w(0, 10), w(20, 30)]);
  assert.deepEqual([-1, 0, 5, 10, 11, 20, 30, 31].map((m) => findContaining(f, m * M)), [-1, 0, 0, 0, -1, 1, 1, -1]);
  assert.equal(findContaining(new Float64Array(0), 0), -1);
});

test('uncovered: the holes of a window', () => {
  const merged = joinWindows([w(0, 10), w(20, 30), w(40, 50)], 0);
  assert.deepEqual(uncovered(merged, 5 * M, 45 * M).map(([a, b]) => [a / M, b / M]), [[10, 20], [30, 40]]);
  assert.deepEqual(uncovered(merged, -10 * M, 5 * M).map(([a, b]) => [a / M, b / M]), [[-10, 0]]);
  assert.deepEqual(uncovered(merged, 21 * M, 29 * M), []);
  assert.deepEqual(uncovered([], 0, M), [[0, M]]);
});

test('exitIntervals joins per kind with that kind\'s gap, never across kinds', () => {
  const r = (kind: ObservationRecord['kind'], f: number, t: number): ObservationRecord => ({ kind, source: 's', fingerprint: '', observedAtMs: f * M, validFromMs: f * M, validToMs: t * M });
  const ivs = exitIntervals([r('bulk_snapshot', 0, 0), r('bulk_snapshot', 60, 60), r('consensus_exit_or', 0, 60), r('consensus_exit_or', 100, 160), r('exit_scan', 500, 600)], P);
  assert.deepEqual(ivs.map((i) => [i.kind, i.fromMs / M, i.toMs / M, i.count]), [
    ['bulk_snapshot', 0, 60, 2],
    ['consensus_exit_or', 0, 60, 1],
    ['consensus_exit_or', 100, 160, 1], // 40 min after the previous consensus span > 30 min
    ['exit_scan', 500, 600, 1],
  ]);
});
