/**
 * CIDR sets for trusted proxies: IPv4 and IPv6 (IPv4-mapped IPv6 is IPv4), bare IPs as /32 or /128, and the
 * word `unix` for nginx's unix-socket peer (`unix:`). `contains` takes a canonical IP (shared/net/ip.ts).
 */
import { expandV6, normalizeIp } from './ip.js';

interface V4Range {
  base: number;
  mask: number;
}

interface V6Range {
  words: [number, number, number, number];
  bits: number;
}

export interface CidrSet {
  contains(ip: string): boolean;
  /** true when `unix` was listed: a unix-socket peer is a trusted local proxy */
  readonly trustsUnix: boolean;
  readonly size: number;
}

export class CidrError extends Error {
  constructor(readonly entry: string, reason: string) {
    super(`"${entry}": ${reason}`);
  }
}

export function v4ToInt(ip: string): number {
  let n = 0, p = 0;
  for (let i = 0; i < 4; i++) {
    const dot = i < 3 ? ip.indexOf('.', p) : ip.length;
    n = n * 256 + Number(ip.slice(p, dot));
    p = dot + 1;
  }
  return n >>> 0;
}

function v6Words(ip: string): [number, number, number, number] {
  const g = expandV6(ip)!;
  return [((g[0]! << 16) | g[1]!) >>> 0, ((g[2]! << 16) | g[3]!) >>> 0, ((g[4]! << 16) | g[5]!) >>> 0, ((g[6]! << 16) | g[7]!) >>> 0];
}

export function parseCidrs(entries: readonly string[]): CidrSet {
  const v4: V4Range[] = [];
  const v6: V6Range[] = [];
  let trustsUnix = false;
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === 'unix' || entry === 'unix:') {
      trustsUnix = true;
      continue;
    }
    const slash = entry.indexOf('/');
    const ip = normalizeIp(slash < 0 ? entry : entry.slice(0, slash));
    if (ip === null) throw new CidrError(entry, 'not an IP address or CIDR');
    const isV4 = !ip.includes(':');
    const max = isV4 ? 32 : 128;
    let bits = max;
    if (slash >= 0) {
      const t = entry.slice(slash + 1);
      bits = /^\d{1,3}$/.test(t) ? Number(t) : NaN;
      // an IPv4-mapped prefix (::ffff:10.0.0.0/104) counts in IPv6 bits
      if (isV4 && entry.slice(0, slash).includes(':')) bits -= 96;
      if (!(bits >= 0 && bits <= max)) throw new CidrError(entry, `prefix length must be 0..${max}`);
    }
    if (isV4) {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      const base = v4ToInt(ip);
      if ((base & mask) >>> 0 !== base) throw new CidrError(entry, `host bits set (did you mean ${intToV4((base & mask) >>> 0)}/${bits}?)`);
      v4.push({ base, mask });
    } else {
      const words = v6Words(ip);
      const r = { words, bits };
      if (!v6Match(r, words) || maskedDiffers(words, bits)) throw new CidrError(entry, 'host bits set');
      v6.push(r);
    }
  }
  return {
    trustsUnix,
    size: v4.length + v6.length,
    contains(ip: string): boolean {
      if (ip.includes(':')) {
        if (v6.length === 0) return false;
        const w = v6Words(ip);
        for (const r of v6) if (v6Match(r, w)) return true;
        return false;
      }
      if (v4.length === 0) return false;
      const n = v4ToInt(ip);
      for (const r of v4) if (((n & r.mask) >>> 0) === r.base) return true;
      return false;
    },
  };
}

function maskedDiffers(words: number[], bits: number): boolean {
  for (let i = 0; i < 4; i++) {
    const b = Math.max(0, Math.min(32, bits - i * 32));
    const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
    if (((words[i]! & mask) >>> 0) !== words[i]) return true;
  }
  return false;
}

function v6Match(r: V6Range, w: number[]): boolean {
  for (let i = 0; i < 4; i++) {
    const b = Math.max(0, Math.min(32, r.bits - i * 32));
    if (b === 0) return true;
    const mask = (0xffffffff << (32 - b)) >>> 0;
    if (((w[i]! & mask) >>> 0) !== r.words[i]) return false;
    if (b < 32) return true;
  }
  return true;
}

function intToV4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
