/** RowBuffer: encoded rows in one Buffer; any row range reads back byte-exact, ASCII or not, across chunk writes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../../shared/core/prng.js';
import { RowBuffer } from '../../../shared/ingest/row-buffer.js';

test('rows of every kind (ASCII, accents, emoji, lone surrogates) read back exactly by index and by range', () => {
  const rnd = prng(9);
  const parts = ['GET /a', 'ünï', '✓', '😀', '\uD800', 'x'.repeat(3000), '\t1\t2'];
  const rows: string[] = [];
  const b = new RowBuffer(64);
  for (let i = 0; i < 5000; i++) {
    let r = `${i}`;
    for (let k = Math.floor(rnd() * 4); k > 0; k--) r += parts[Math.floor(rnd() * parts.length)];
    r += '\n';
    rows.push(r);
    b.push(r);
    if (i % 997 === 0) assert.equal(b.count, i + 1);
  }
  assert.equal(b.count, rows.length);
  const enc = (xs: string[]) => Buffer.from(xs.join(''), 'utf8');
  assert.equal(b.byteLength, enc(rows).length);
  assert.ok(b.bytes().equals(enc(rows)));
  for (let t = 0; t < 300; t++) {
    const lo = Math.floor(rnd() * rows.length);
    const hi = lo + Math.floor(rnd() * (rows.length - lo + 1));
    assert.ok(b.bytes(lo, hi).equals(enc(rows.slice(lo, hi))), `rows [${lo}, ${hi})`);
  }
  for (const i of [0, 1, 2499, 4999]) assert.equal(b.row(i), Buffer.from(rows[i]!, 'utf8').toString('utf8'));
  // pushing after a read keeps every earlier row where it was; so does compacting, before and after more rows
  b.compact();
  assert.ok(b.bytes().equals(enc(rows)));
  b.push('tail\n');
  assert.ok(b.bytes(0, rows.length).equals(enc(rows)));
  assert.equal(b.row(rows.length), 'tail\n');
  b.compact();
  b.push('more\n');
  assert.ok(b.bytes().equals(enc([...rows, 'tail\n', 'more\n'])));
});
