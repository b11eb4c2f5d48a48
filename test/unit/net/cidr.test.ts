import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrError, parseCidr, parseCidrList } from '../../../shared/net/cidr.js';
import { TorlogsError } from '../../../shared/core/errors.js';

// [cidrs, canonical ip, contained]
const containsCases: Array<[string[], string, boolean]> = [
  [['10.0.0.0/8'], '10.0.0.0', true],
  [['10.0.0.0/8'], '10.255.255.255', true],
  [['10.0.0.0/8'], '11.0.0.0', false],
  [['10.0.0.0/8'], '9.255.255.255', false],
  [['192.168.1.7'], '192.168.1.7', true],
  [['192.168.1.7'], '192.168.1.8', false],
  [['192.168.1.7/32'], '192.168.1.6', false],
  [['0.0.0.0/0'], '0.0.0.0', true],
  [['0.0.0.0/0'], '255.255.255.255', true],
  [['0.0.0.0/0'], '::1', false],
  [['255.255.255.255/32'], '255.255.255.255', true],
  [['128.0.0.0/1'], '127.255.255.255', false],
  [['128.0.0.0/1'], '128.0.0.0', true],
  [['172.16.0.0/12'], '172.31.255.255', true],
  [['172.16.0.0/12'], '172.32.0.0', false],
  // merged and overlapping ranges
  [['10.0.0.0/9', '10.128.0.0/9', '10.1.0.0/16'], '10.200.0.1', true],
  [['10.0.0.0/24', '10.0.2.0/24'], '10.0.1.1', false],
  [['10.0.0.0/24', '10.0.2.0/24'], '10.0.2.255', true],
  [['203.0.113.0/24', '10.0.0.0/8', '127.0.0.1'], '127.0.0.1', true],
  [['203.0.113.0/24', '10.0.0.0/8', '127.0.0.1'], '127.0.0.2', false],
  // IPv6
  [['2001:db8::/32'], '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
  [['2001:db8::/32'], '2001:db9::', false],
  [['2001:db8::/32'], '2001:db7:ffff::1', false],
  [['2001:db8:0:1::/64'], '2001:db8:0:1:abcd::1', true],
  [['2001:db8:0:2::/63'], '2001:db8:0:3:ffff::', true],
  [['2001:db8:0:2::/63'], '2001:db8:0:1::', false],
  [['2001:db8::1:0:0:0/127'], '2001:db8::1:0:0:1', true],
  [['2001:db8::1:0:0:0/127'], '2001:db8::1:0:0:2', false],
  [['2001:db8::/95'], '2001:db8::1:ffff:ffff', true],
  [['2001:db8::/95'], '2001:db8::2:0:0', false],
  [['::1'], '::1', true],
  [['::1/128'], '::2', false],
  [['::/0'], 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
  [['fd00::/8'], 'fdff::1', true],
  [['fd00::/8'], '10.0.0.1', false],
  [['2001:0DB8:0000::/48'], '2001:db8::5', true],
  // IPv4-mapped: written mapped in the list, canonical IPv4 in the lookup, and the other way round
  [['::ffff:10.0.0.0/104'], '10.1.2.3', true],
  [['::ffff:10.0.0.0/104'], '11.1.2.3', false],
  [['::ffff:a00:0/104'], '10.1.2.3', true],
  [['::ffff:192.0.2.1'], '192.0.2.1', true],
  [['::ffff:0:0/96'], '8.8.8.8', true],
  [['::/0'], '8.8.8.8', true],
  [['::/80'], '8.8.8.8', true],
  [['::/96'], '8.8.8.8', false],
  [['10.0.0.0/8'], '::ffff:10.1.2.3', true],
  [['2001:db8::/32'], '::ffff:10.1.2.3', false],
  // not canonical / not an address: never contained
  [['0.0.0.0/0'], '', false],
  [['0.0.0.0/0'], '010.0.0.1', false],
  [['0.0.0.0/0'], '1.2.3', false],
  [['0.0.0.0/0'], '1.2.3.256', false],
  [['::/0'], '::1::2', false],
  [['::/0'], 'localhost', false],
  [[], '10.0.0.1', false],
  [[], '::1', false],
];
for (const [cidrs, ip, want] of containsCases) {
  test(`CIDR [${cidrs.join(', ')}] contains ${JSON.stringify(ip)}: ${want}`, () => {
    assert.equal(parseCidrList(cidrs).contains(ip), want);
  });
}

const canonicalCases: Array<[string, string, 4 | 6]> = [
  ['10.0.0.0/8', '10.0.0.0/8', 4],
  [' 192.168.1.7 ', '192.168.1.7/32', 4],
  ['2001:0db8:0000:0000:0000:0000:0000:0000/32', '2001:db8::/32', 6],
  ['2001:DB8::/32', '2001:db8::/32', 6],
  ['::1', '::1/128', 6],
  ['::ffff:10.0.0.0/104', '10.0.0.0/8', 4],
  ['::ffff:192.0.2.1', '192.0.2.1/32', 4],
  ['::ffff:0:0/96', '0.0.0.0/0', 4],
  ['::/0', '::/0', 6],
];
for (const [entry, text, family] of canonicalCases) {
  test(`CIDR ${JSON.stringify(entry)} is ${text}`, () => {
    const c = parseCidr(entry);
    assert.equal(c.text, text);
    assert.equal(c.family, family);
  });
}

test('a list keeps its canonical entries, skipping what the caller says', () => {
  const m = parseCidrList(['unix', '10.0.0.0/8', '::1'], { skip: (e) => e === 'unix' });
  assert.deepEqual(m.cidrs, ['10.0.0.0/8', '::1/128']);
  assert.equal(m.size, 2);
});

// [entry, exact message]
const badCases: Array<[string, string]> = [
  ['10.0.0.0/33', 'entry 1 "10.0.0.0/33": prefix length /33 is longer than 32 bits (IPv4)'],
  ['2001:db8::/129', 'entry 1 "2001:db8::/129": prefix length /129 is longer than 128 bits (IPv6)'],
  ['10.0.0.1/8', 'entry 1 "10.0.0.1/8": host bits are set after the /8 prefix (did you mean 10.0.0.0/8?)'],
  ['2001:db8::1/32', 'entry 1 "2001:db8::1/32": host bits are set after the /32 prefix (did you mean 2001:db8::/32?)'],
  ['::ffff:10.0.0.0/8', 'entry 1 "::ffff:10.0.0.0/8": host bits are set after the /8 prefix (did you mean ::/8?)'],
  ['1.2.3.4/x', 'entry 1 "1.2.3.4/x": prefix length "x" is not a number 0..32'],
  ['1.2.3.4/', 'entry 1 "1.2.3.4/": prefix length "" is not a number 0..32'],
  ['1.2.3.0/024', 'entry 1 "1.2.3.0/024": prefix length "024" is not a number 0..32'],
  ['1.2.3.0/-1', 'entry 1 "1.2.3.0/-1": prefix length "-1" is not a number 0..32'],
  ['1.2.3.0/24/8', 'entry 1 "1.2.3.0/24/8": prefix length "24/8" is not a number 0..32'],
  ['', 'entry 1 "": empty entry'],
  ['   ', 'entry 1 "   ": empty entry'],
  ['10.0.0.0 /8', 'entry 1 "10.0.0.0 /8": white space inside the entry'],
  ['example.com', 'entry 1 "example.com": host names are not allowed: give an IP address or CIDR'],
  ['10.0.0', 'entry 1 "10.0.0": IPv4 address needs 4 dot-separated parts, found 3'],
  ['10..0.0', 'entry 1 "10..0.0": empty part in the IPv4 address'],
  ['010.0.0.0/8', 'entry 1 "010.0.0.0/8": leading zero in an IPv4 part (octal or decimal?): write it without'],
  ['10.0.0.256', 'entry 1 "10.0.0.256": IPv4 part greater than 255'],
  ['2001:db8:::/48', 'entry 1 "2001:db8:::/48": not a valid IPv6 address'],
  ['fe80::1%eth0', 'entry 1 "fe80::1%eth0": zone index (%…) is not allowed in a CIDR'],
  ['[2001:db8::]/32', 'entry 1 "[2001:db8::]/32": write the address without brackets'],
  ['10.0.0.0/8,', 'entry 1 "10.0.0.0/8,": prefix length "8," is not a number 0..32'],
];
for (const [entry, message] of badCases) {
  test(`CIDR ${JSON.stringify(entry)} is refused: ${message}`, () => {
    assert.throws(() => parseCidrList([entry]), (e: unknown) => {
      assert.ok(e instanceof CidrError);
      assert.ok(e instanceof TorlogsError);
      assert.equal(e.code, 'config_invalid');
      assert.equal(e.message, message);
      assert.equal(e.entry, entry);
      assert.equal(e.index, 0);
      return true;
    });
  });
}

test('the error names the position of the bad entry, counting skipped ones', () => {
  assert.throws(() => parseCidrList(['unix', '10.0.0.0/8', '10.0.0.1/8'], { skip: (e) => e === 'unix' }), {
    message: 'entry 3 "10.0.0.1/8": host bits are set after the /8 prefix (did you mean 10.0.0.0/8?)',
  });
});
