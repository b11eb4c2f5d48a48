/**
 * CIDR lists (trusted proxies and similar settings) and a fast membership test.
 *
 *  - IPv4 `10.0.0.0/8`, IPv6 `2001:db8::/32`; a bare address is a /32 or /128.
 *  - IPv4-mapped IPv6 is IPv4 (shared/net/ip.ts canonicalises `::ffff:a.b.c.d` to `a.b.c.d`): `::ffff:10.0.0.0/104`
 *    is `10.0.0.0/8`, and an IPv6 range that covers all of `::ffff:0:0/96` (e.g. `::/0`) also matches every IPv4.
 *  - Host bits after the prefix are refused (`10.0.0.1/8`): usually a typo, and silently masking it would trust
 *    a different network than the one written.
 *  - `contains(ip)` takes canonical text; IPv4 is a binary search over merged ranges, IPv6 a compare of four
 *    32-bit words per range. Text that is not an address is never contained.
 * Errors name the entry (position and text) and the reason, for configuration messages.
 */
import { TorlogsError } from '../core/errors.js';
import { normalizeIp } from './ip.js';
import { prefixMask128, prefixMask32, uintToV4, v4ToUint, v6ToWords, wordsToV6Full, type V6Words } from './ip-numeric.js';

export interface Cidr {
  family: 4 | 6;
  /** canonical text, e.g. `10.0.0.0/8`, `2001:db8::/32` */
  text: string;
  bits: number;
  /** IPv4: [address]; IPv6: four words */
  words: number[];
}

export interface CidrMatcher {
  /** true when the canonical IP lies in one of the ranges */
  contains(ipCanonical: string): boolean;
  /** the parsed ranges in canonical text, in input order (skipped entries left out) */
  readonly cidrs: readonly string[];
  readonly size: number;
}

export interface CidrListOptions {
  /** entries this returns true for are not CIDRs and are skipped (keeps positions in error messages right) */
  skip?: (entry: string) => boolean;
}

/** A CIDR entry that cannot be used: `index` is 0-based; the message says `entry N "text": reason`. */
export class CidrError extends TorlogsError {
  constructor(
    readonly index: number,
    readonly entry: string,
    readonly reason: string,
  ) {
    super('config_invalid', `entry ${index + 1} ${JSON.stringify(entry)}: ${reason}`, { details: { index, entry, reason } });
    this.name = 'CidrError';
  }
}

const MAPPED_WORD2 = 0x0000ffff;

/** One CIDR or bare address; throws CidrError (index 0) with the reason. */
export function parseCidr(entry: string, index = 0): Cidr {
  const fail = (why: string): never => {
    throw new CidrError(index, entry, why);
  };
  const s = entry.trim();
  if (s === '') fail('empty entry');
  if (/\s/.test(s)) fail('white space inside the entry');
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  if (addr.includes('%')) fail('zone index (%…) is not allowed in a CIDR');
  if (addr.startsWith('[')) fail('write the address without brackets');
  const ip = normalizeIp(addr);
  if (ip === null) fail(whyNotAnAddress(addr));
  const written6 = addr.includes(':');
  const max = written6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const t = s.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(t)) fail(`prefix length ${JSON.stringify(t)} is not a number 0..${max}`);
    bits = Number(t);
    if (bits > max) fail(`prefix length /${bits} is longer than ${max} bits (${written6 ? 'IPv6' : 'IPv4'})`);
  }
  if (!written6) return v4Cidr(v4ToUint(ip!), bits, fail);
  const words: V6Words = ip!.includes(':') ? v6ToWords(ip!)! : [0, 0, MAPPED_WORD2, v4ToUint(ip!)];
  const masks = prefixMask128(bits);
  for (let i = 0; i < 4; i++) {
    if ((words[i]! & masks[i]!) >>> 0 !== words[i]) {
      const net = words.map((w, j) => (w & masks[j]!) >>> 0);
      fail(`host bits are set after the /${bits} prefix (did you mean ${normalizeIp(wordsToV6Full(net))}/${bits}?)`);
    }
  }
  // inside ::ffff:0:0/96 it is an IPv4 range
  if (bits >= 96 && words[0] === 0 && words[1] === 0 && words[2] === MAPPED_WORD2) return v4Cidr(words[3]!, bits - 96, fail);
  return { family: 6, text: `${normalizeIp(wordsToV6Full(words))}/${bits}`, bits, words };
}

function v4Cidr(n: number, bits: number, fail: (why: string) => never): Cidr {
  const mask = prefixMask32(bits);
  if ((n & mask) >>> 0 !== n) fail(`host bits are set after the /${bits} prefix (did you mean ${uintToV4((n & mask) >>> 0)}/${bits}?)`);
  return { family: 4, text: `${uintToV4(n)}/${bits}`, bits, words: [n] };
}

function whyNotAnAddress(a: string): string {
  if (/^[\d.]+$/.test(a)) {
    const parts = a.split('.');
    if (parts.length !== 4) return `IPv4 address needs 4 dot-separated parts, found ${parts.length}`;
    if (parts.some((p) => p === '')) return 'empty part in the IPv4 address';
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return 'leading zero in an IPv4 part (octal or decimal?): write it without';
    return 'IPv4 part greater than 255';
  }
  if (a.includes(':')) return 'not a valid IPv6 address';
  if (/^[a-z0-9.-]+$/i.test(a)) return 'host names are not allowed: give an IP address or CIDR';
  return 'not an IP address or CIDR';
}

/** Whether the IPv6 range covers all of ::ffff:0:0/96 (then it contains every IPv4 address). */
function coversMapped(c: Cidr): boolean {
  if (c.bits > 96) return false;
  const masks = prefixMask128(c.bits);
  const mapped = [0, 0, MAPPED_WORD2, 0];
  return mapped.every((w, i) => (w & masks[i]!) >>> 0 === c.words[i]);
}

/** Parses every entry (throwing CidrError for the first bad one) into a matcher. */
export function parseCidrList(entries: readonly string[], opts: CidrListOptions = {}): CidrMatcher {
  const list: Cidr[] = [];
  entries.forEach((e, i) => {
    if (!opts.skip?.(e)) list.push(parseCidr(e, i));
  });
  return createCidrMatcher(list);
}

export function createCidrMatcher(list: readonly Cidr[]): CidrMatcher {
  // IPv4: sorted, merged [start, end] ranges
  const v4: Array<[number, number]> = [];
  const v6: Array<{ net: V6Words; mask: V6Words }> = [];
  for (const c of list) {
    if (c.family === 4) {
      const start = c.words[0]!;
      v4.push([start, start + 2 ** (32 - c.bits) - 1]);
    } else {
      v6.push({ net: c.words as V6Words, mask: prefixMask128(c.bits) });
      if (coversMapped(c)) v4.push([0, 0xffffffff]);
    }
  }
  v4.sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [s, e] of v4) {
    const last = ends.length - 1;
    if (last >= 0 && s <= ends[last]! + 1) ends[last] = Math.max(ends[last]!, e);
    else {
      starts.push(s);
      ends.push(e);
    }
  }
  const startArr = Float64Array.from(starts);
  const endArr = Float64Array.from(ends);

  function containsV4(n: number): boolean {
    let lo = 0;
    let hi = startArr.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (startArr[mid]! > n) hi = mid - 1;
      else if (endArr[mid]! < n) lo = mid + 1;
      else return true;
    }
    return false;
  }

  function containsV6(w: V6Words): boolean {
    for (const r of v6) {
      if (
        ((w[0] & r.mask[0]) >>> 0) === r.net[0] &&
        ((w[1] & r.mask[1]) >>> 0) === r.net[1] &&
        ((w[2] & r.mask[2]) >>> 0) === r.net[2] &&
        ((w[3] & r.mask[3]) >>> 0) === r.net[3]
      ) return true;
    }
    return false;
  }

  return {
    cidrs: list.map((c) => c.text),
    size: list.length,
    contains(ip: string): boolean {
      if (ip.indexOf(':') < 0) {
        if (startArr.length === 0) return false;
        const n = v4ToUint(ip);
        return n >= 0 && containsV4(n);
      }
      const w = v6ToWords(ip);
      if (w === null) return false;
      // not canonical but IPv4-mapped: the IPv4 ranges decide
      if (w[0] === 0 && w[1] === 0 && w[2] === MAPPED_WORD2) return startArr.length > 0 && containsV4(w[3]);
      return v6.length > 0 && containsV6(w);
    },
  };
}
