/**
 * IP addresses as numbers, for range matching: IPv4 as an unsigned 32-bit integer, IPv6 as four unsigned 32-bit
 * words (most significant first). The parsers are allocation-light and strict: they take what shared/net/ip.ts
 * produces (canonical text) and anything else that is a plain address literal, and return -1 / null otherwise
 * (no brackets, ports or zone indexes: callers normalise first).
 */

/** Words of an IPv6 address, most significant first; each 0..2^32-1. */
export type V6Words = [number, number, number, number];

/** `a.b.c.d` → 0..2^32-1, or -1 when the text is not a dotted quad (no leading zeros, each part 0..255). */
export function v4ToUint(s: string, start = 0, end = s.length): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || parts === 3) return -1;
      n = n * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // leading zero: octal or decimal? refuse
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (digits === 0 || parts !== 3) return -1;
  return n * 256 + part;
}

export function uintToV4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** 8 groups of 16 bits from IPv6 text (`::` compression and a dotted IPv4 tail allowed), or null. */
export function v6ToGroups(s: string): number[] | null {
  const groups: number[] = [];
  let gap = -1; // index in groups where `::` stands
  let i = 0;
  const n = s.length;
  if (n < 2) return null;
  if (s.charCodeAt(0) === 58 /* : */) {
    if (s.charCodeAt(1) !== 58) return null;
    gap = 0;
    i = 2;
    if (i === n) return [0, 0, 0, 0, 0, 0, 0, 0];
  }
  while (i < n) {
    let v = 0;
    let digits = 0;
    const from = i;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      v = v * 16 + d;
      digits++;
    }
    if (i < n && s.charCodeAt(i) === 46 /* . */) {
      // dotted IPv4 tail: must be the last 32 bits
      const v4 = v4ToUint(s, from, n);
      if (v4 < 0 || groups.length > 6) return null;
      groups.push(v4 >>> 16, v4 & 0xffff);
      break;
    }
    if (digits === 0 || digits > 4) return null;
    groups.push(v);
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return null;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (gap >= 0) return null; // a second `::`
      gap = groups.length;
      i++;
    } else if (i === n) return null; // trailing single colon
  }
  if (gap < 0) return groups.length === 8 ? groups : null;
  if (groups.length > 7) return null;
  const zeros = new Array<number>(8 - groups.length).fill(0);
  groups.splice(gap, 0, ...zeros);
  return groups;
}

export function v6ToWords(s: string): V6Words | null {
  const g = v6ToGroups(s);
  if (g === null) return null;
  return [
    (g[0]! * 65536 + g[1]!) >>> 0,
    (g[2]! * 65536 + g[3]!) >>> 0,
    (g[4]! * 65536 + g[5]!) >>> 0,
    (g[6]! * 65536 + g[7]!) >>> 0,
  ];
}

/** Full (uncompressed) IPv6 text of four words; pass it through normalizeIp for the canonical form. */
export function wordsToV6Full(w: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < 4; i++) out.push(((w[i]! >>> 16) & 0xffff).toString(16), (w[i]! & 0xffff).toString(16));
  return out.join(':');
}

/** Mask with the top `bits` (0..32) bits set, as an unsigned 32-bit number. */
export function prefixMask32(bits: number): number {
  return bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

/** Masks of a /`bits` IPv6 prefix (0..128), one per word. */
export function prefixMask128(bits: number): V6Words {
  return [prefixMask32(bits), prefixMask32(bits - 32), prefixMask32(bits - 64), prefixMask32(bits - 96)];
}
