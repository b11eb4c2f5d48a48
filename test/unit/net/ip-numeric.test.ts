import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prefixMask128, prefixMask32, uintToV4, v4ToUint, v6ToGroups, v6ToWords, wordsToV6Full } from '../../../shared/net/ip-numeric.js';

const v4Cases: Array<[string, number]> = [
  ['0.0.0.0', 0],
  ['1.2.3.4', 0x01020304],
  ['255.255.255.255', 0xffffffff],
  ['10.0.0.1', 0x0a000001],
  ['01.2.3.4', -1],
  ['1.2.3', -1],
  ['1.2.3.4.5', -1],
  ['1.2.3.256', -1],
  ['1.2.3.', -1],
  ['.1.2.3', -1],
  ['1.2.3.4 ', -1],
  ['1.2.3.1000', -1],
  ['', -1],
];
for (const [text, n] of v4Cases) {
  test(`v4ToUint(${JSON.stringify(text)}) = ${n}`, () => {
    assert.equal(v4ToUint(text), n);
    if (n >= 0) assert.equal(uintToV4(n), text);
  });
}

const v6Cases: Array<[string, number[] | null]> = [
  ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
  ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
  ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
  ['2001:db8::7', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 7]],
  ['2001:DB8:0:0:1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]],
  ['2a02:cf40:10ff:f00f:0000:0000:0:8000', [0x2a02, 0xcf40, 0x10ff, 0xf00f, 0, 0, 0, 0x8000]],
  ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]],
  ['64:ff9b::1.2.3.4', [0x64, 0xff9b, 0, 0, 0, 0, 0x0102, 0x0304]],
  ['1:2:3:4:5:6:7', null],
  ['1:2:3:4:5:6:7:8:9', null],
  ['1::2::3', null],
  [':1', null],
  ['1:', null],
  ['12345::', null],
  ['::g', null],
  ['1:2:3:4:5:6:7:1.2.3.4', null],
  ['::1.2.3', null],
  ['', null],
];
for (const [text, groups] of v6Cases) {
  test(`v6ToGroups(${JSON.stringify(text)})`, () => assert.deepEqual(v6ToGroups(text), groups));
}

test('IPv6 words and back', () => {
  assert.deepEqual(v6ToWords('2001:db8::ffff:1'), [0x20010db8, 0, 0, 0xffff0001]);
  assert.equal(wordsToV6Full([0x20010db8, 0, 0, 0xffff0001]), '2001:db8:0:0:0:0:ffff:1');
});

test('prefix masks', () => {
  assert.deepEqual([0, 1, 8, 31, 32, 33].map(prefixMask32), [0, 0x80000000, 0xff000000, 0xfffffffe, 0xffffffff, 0xffffffff]);
  assert.deepEqual(prefixMask128(0), [0, 0, 0, 0]);
  assert.deepEqual(prefixMask128(48), [0xffffffff, 0xffff0000, 0, 0]);
  assert.deepEqual(prefixMask128(128), [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
});
