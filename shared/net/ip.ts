/**
 * IP address normalisation. One canonical text form per address:
 *  - IPv4 (also when written IPv4-mapped, `::ffff:a.b.c.d`) → dotted quad `a.b.c.d`
 *  - IPv6 → lower-case RFC 5952 compressed form (`2001:470:1::2`), zero-padded input accepted
 * ClickHouse stores every client IP in an `IPv6` column; `toIPv6Column` gives that form.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface NormalizedIp {
  /** canonical text form (see module doc) */
  text: string;
  family: IpFamily;
}

const MAPPED_PREFIX = '::ffff:';

/** Canonical text for an IP, or null when `raw` is not an IP literal. Accepts `[v6]` brackets and a zone-less form only. */
export function normalizeIp(raw: string): string | null {
  let s = raw.trim();
  if (s.length === 0 || s.length > 45) return null;
  if (s.charCodeAt(0) === 91 /* [ */ && s.charCodeAt(s.length - 1) === 93 /* ] */) s = s.slice(1, -1);
  if (isIPv4(s)) return canonicalV4(s);
  if (!isIPv6(s)) return null;
  const lower = s.toLowerCase();
  if (lower.startsWith(MAPPED_PREFIX) && isIPv4(lower.slice(MAPPED_PREFIX.length))) {
    return canonicalV4(lower.slice(MAPPED_PREFIX.length));
  }
  const groups = expandV6(lower);
  if (groups === null) return null;
  // ::ffff:0:0/96 written in hex groups (e.g. ::ffff:5db8:d822) is IPv4-mapped too
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    const a = groups[6]!, b = groups[7]!;
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return compressV6(groups);
}

export function ipFamily(canonical: string): IpFamily {
  return canonical.includes(':') ? 6 : 4;
}

/** Text for a ClickHouse `IPv6` column: IPv4 becomes `::ffff:a.b.c.d`. Input must be canonical. */
export function toIPv6Column(canonical: string): string {
  return canonical.includes(':') ? canonical : MAPPED_PREFIX + canonical;
}

/** Inverse of toIPv6Column for text read back from ClickHouse (`::ffff:1.2.3.4` → `1.2.3.4`). */
export function fromIPv6Column(text: string): string {
  return normalizeIp(text) ?? text;
}

function canonicalV4(s: string): string {
  // node's isIPv4 rejects leading zeros already ("01.2.3.4" is not IPv4), so the text is canonical
  return s;
}

/** 8 groups of 16 bits, or null. Input is lower-case and passed isIPv6. */
export function expandV6(s: string): number[] | null {
  let head = s;
  let tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const o = g.split('.').map(Number);
        out.push(((o[0]! << 8) | o[1]!) >>> 0, ((o[2]! << 8) | o[3]!) >>> 0);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const h = parse(head);
  const t = parse(tail);
  if (dbl < 0) return h.length === 8 ? h : null;
  const zeros = 8 - h.length - t.length;
  if (zeros < 0) return null;
  return [...h, ...new Array<number>(zeros).fill(0), ...t];
}

function compressV6(groups: number[]): string {
  // RFC 5952: longest run (>=2) of zero groups becomes '::', first one on ties
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
