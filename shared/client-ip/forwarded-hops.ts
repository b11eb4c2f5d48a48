/**
 * Hop lists from forwarding headers, left (client side) to right (nearest proxy):
 *  X-Forwarded-For `a, b, c` (nginx joins repeated headers with ", "), Forwarded (RFC 7239) `for=` values,
 *  X-Real-IP a single value. Each hop is normalised to a canonical IP, or null when it is not an IP
 *  (`unknown`, an obfuscated `_identifier`, a hostname, garbage).
 */
import { normalizeIp } from '../net/ip.js';

export interface Hop {
  raw: string;
  ip: string | null;
}

/** `1.2.3.4`, `1.2.3.4:8080`, `[2001:db8::1]:4711`, `"[2001:db8::1]"`, `2001:db8::1` → canonical IP or null */
export function hopIp(raw: string): string | null {
  let s = raw.trim();
  if (s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34) s = s.slice(1, -1).trim();
  if (s.charCodeAt(0) === 91) {
    const end = s.indexOf(']');
    return end > 0 ? normalizeIp(s.slice(1, end)) : null;
  }
  const direct = normalizeIp(s);
  if (direct !== null) return direct;
  const colon = s.lastIndexOf(':');
  if (colon > 0 && s.indexOf(':') === colon && /^\d{1,5}$/.test(s.slice(colon + 1))) return normalizeIp(s.slice(0, colon));
  return null;
}

export function xForwardedForHops(value: string): Hop[] {
  if (value.trim() === '') return [];
  return value.split(',').map((raw) => ({ raw: raw.trim(), ip: hopIp(raw) }));
}

export function forwardedHops(value: string): Hop[] {
  const hops: Hop[] = [];
  for (const element of splitOutsideQuotes(value, ',')) {
    for (const pair of splitOutsideQuotes(element, ';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim().toLowerCase() !== 'for') continue;
      const raw = pair.slice(eq + 1).trim();
      hops.push({ raw, ip: hopIp(raw) });
    }
  }
  return hops;
}

export function xRealIpHops(value: string): Hop[] {
  const v = value.trim();
  return v === '' ? [] : [{ raw: v, ip: hopIp(v) }];
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const ch of s) {
    if (ch === '"') q = !q;
    if (ch === sep && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}
