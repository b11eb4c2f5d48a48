import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBoundedMemo, type MemoKind } from '../../../shared/core/bounded-memo.js';

/** runs get-or-set for each key and returns which were hits */
function trace(kind: MemoKind, max: number, keys: string[]): { hits: string; size: number } {
  const m = createBoundedMemo<string, string>(kind, max);
  let hits = '';
  for (const k of keys) {
    if (m.get(k) === undefined) {
      m.set(k, k.toUpperCase());
      hits += '.';
    } else hits += 'h';
  }
  return { hits, size: m.size };
}

// a hot key `a` among a stream of one-off keys
const stream = ['a', 'b', 'a', 'c', 'a', 'd', 'a', 'e', 'a', 'f', 'a', 'g', 'a'];
const cases: Array<[MemoKind, number, { hits: string; size: number }]> = [
  // two generations of 2: `a` survives every turnover by promotion
  ['two-generation', 4, { hits: '..h.h.h.h.h.h', size: 4 }],
  // LRU of 4: `a` is always the most recent
  ['lru', 4, { hits: '..h.h.h.h.h.h', size: 4 }],
  // clear-all at 4: `a` is lost at each clear
  ['clear-all', 4, { hits: '..h.h.h...h.h', size: 4 }],
  // memo off
  ['two-generation', 0, { hits: '.............', size: 0 }],
  ['lru', 0, { hits: '.............', size: 0 }],
];
for (const [kind, max, want] of cases) {
  test(`memo ${kind} of ${max}: hits ${want.hits}`, () => assert.deepEqual(trace(kind, max, stream), want));
}

for (const kind of ['two-generation', 'lru', 'clear-all'] as const) {
  test(`memo ${kind} stays within its bound and returns what was set`, () => {
    const m = createBoundedMemo<string, number>(kind, 100);
    for (let i = 0; i < 10_000; i++) {
      m.set(`k${i}`, i);
      assert.ok(m.size <= 100, `size ${m.size}`);
    }
    assert.equal(m.get('k9999'), 9999);
    assert.equal(m.get('k0'), undefined);
  });
}

test('LRU evicts the least recently used key, not the oldest inserted', () => {
  const m = createBoundedMemo<string, number>('lru', 2);
  m.set('x', 1);
  m.set('y', 2);
  assert.equal(m.get('x'), 1);
  m.set('z', 3);
  assert.deepEqual([m.get('x'), m.get('y'), m.get('z')], [1, undefined, 3]);
});
