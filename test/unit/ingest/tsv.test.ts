/** TabSeparated encoding: escapes and the cached UTC date/time text (checked against Date#toISOString). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../../shared/core/prng.js';
import { tsvDateTime, tsvDateTime64, tsvEscape } from '../../../shared/ingest/tsv.js';

const iso = (ms: number) => new Date(ms).toISOString();

test('tsvEscape: backslash, tab, newline, carriage return and NUL are escaped; other text is unchanged', () => {
  const cases: Array<[string, string]> = [
    ['plain /path?q=1', 'plain /path?q=1'],
    ['a\tb', 'a\\tb'],
    ['a\nb\r', 'a\\nb\\r'],
    ['C:\\dir', 'C:\\\\dir'],
    ['nul\0', 'nul\\0'],
    ['ünïcödé ✓', 'ünïcödé ✓'],
  ];
  for (const [input, want] of cases) assert.equal(tsvEscape(input), want, JSON.stringify(input));
});

test('tsvDateTime64 / tsvDateTime equal toISOString at day, hour and minute edges and on 200,000 random instants', () => {
  const edges = [0, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999, 86_400_000, Date.UTC(2023, 5, 1, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 12), Date.UTC(2038, 0, 19, 3, 14, 8), 4_102_444_799_999];
  const rnd = prng(3);
  const points = [...edges, ...Array.from({ length: 200_000 }, () => Math.floor(rnd() * 4_102_444_800_000))];
  // consecutive instants in the same second and day (the cached paths) as well as jumps
  points.push(...Array.from({ length: 2000 }, (_, i) => Date.UTC(2023, 5, 2, 12) + i * 7));
  for (const ms of points) {
    const t = iso(ms);
    assert.equal(tsvDateTime64(ms), `${t.slice(0, 10)} ${t.slice(11, 23)}`, t);
    const sec = Math.floor(ms / 1000);
    assert.equal(tsvDateTime(sec), `${t.slice(0, 10)} ${t.slice(11, 19)}`, t);
  }
});
