import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeIp, toIPv6Column, fromIPv6Column } from '../../shared/net/ip.js';

const cases: Array<[string, string | null]> = [
  ['1.2.3.4', '1.2.3.4'],
  [' 10.0.0.1 ', '10.0.0.1'],
  ['::ffff:1.2.3.4', '1.2.3.4'],
  ['::FFFF:5db8:d822', '93.184.216.34'],
  ['2001:0470:0001:0000:0000:0000:0000:0002', '2001:470:1::2'],
  ['2001:DB8::1', '2001:db8::1'],
  ['[2001:db8::1]', '2001:db8::1'],
  ['::1', '::1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
  ['unix:', null],
  ['-', null],
  ['', null],
  ['01.2.3.4', null],
  ['256.1.1.1', null],
  ['1.2.3', null],
  ['2001:db8::1::2', null],
];

for (const [input, want] of cases) {
  test(`normalizeIp(${JSON.stringify(input)}) = ${want}`, () => {
    assert.equal(normalizeIp(input), want);
  });
}

test('IPv6 column form round-trips', () => {
  assert.equal(toIPv6Column('1.2.3.4'), '::ffff:1.2.3.4');
  assert.equal(toIPv6Column('2001:db8::1'), '2001:db8::1');
  assert.equal(fromIPv6Column('::ffff:1.2.3.4'), '1.2.3.4');
});
