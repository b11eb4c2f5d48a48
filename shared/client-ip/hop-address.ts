/**
 * One address as forwarding headers and access logs write it, to a canonical IP (shared/net/ip.ts):
 * `1.2.3.4`, `1.2.3.4:8080`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:4711`, `::ffff:1.2.3.4` (→ `1.2.3.4`),
 * zero-padded IPv6, any of these in double quotes; an RFC 7239 obfuscated port (`1.2.3.4:_abc`) is allowed.
 * Not addresses: `unknown`, obfuscated identifiers (`_hidden`), host names, empty text, garbage.
 */
import { normalizeIp } from '../net/ip.js';

export type ConnectingAddress =
  | { kind: 'ip'; ip: string }
  /** nginx behind a unix socket logs `unix:` (sometimes with the socket path) */
  | { kind: 'unix' }
  /** `-` or nothing logged */
  | { kind: 'missing' }
  | { kind: 'invalid' };

/** Canonical IP of one hop, or null when it is not an address (see describeNonAddress for why). */
export function hopAddress(raw: string): string | null {
  let s = raw.trim();
  if (s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34) s = s.slice(1, -1).trim();
  if (s.length === 0) return null;
  if (s.charCodeAt(0) === 91 /* [ */) {
    const end = s.indexOf(']');
    if (end < 0) return null;
    if (end !== s.length - 1 && !(s.charCodeAt(end + 1) === 58 && isPort(s, end + 2))) return null;
    const inner = s.slice(1, end);
    return inner.includes(':') ? normalizeIp(inner) : null; // brackets are for IPv6 only
  }
  const direct = normalizeIp(s);
  if (direct !== null) return direct;
  const colon = s.indexOf(':');
  if (colon > 0 && s.indexOf(':', colon + 1) < 0 && isPort(s, colon + 1)) {
    const host = s.slice(0, colon);
    return host.includes('.') ? normalizeIp(host) : null;
  }
  return null;
}

/** `1..65535` digits, or an RFC 7239 obfuscated port `_[A-Za-z0-9._-]+`, from `from` to the end */
function isPort(s: string, from: number): boolean {
  const t = s.slice(from);
  return /^\d{1,5}$/.test(t) ? Number(t) <= 65535 : /^_[A-Za-z0-9._-]+$/.test(t);
}

export function connectingAddress(remoteAddr: string): ConnectingAddress {
  const s = remoteAddr.trim();
  if (s === '' || s === '-') return { kind: 'missing' };
  if (s.startsWith('unix:')) return { kind: 'unix' };
  const ip = hopAddress(s);
  return ip === null ? { kind: 'invalid' } : { kind: 'ip', ip };
}

/** Why a hop is not an address, in words for a dead letter's detail. */
export function describeNonAddress(raw: string): string {
  const s = raw.trim().replace(/^"(.*)"$/, '$1');
  if (s === '') return 'is empty';
  if (s.toLowerCase() === 'unknown') return 'is "unknown" (the proxy did not know or did not disclose its client)';
  if (s.startsWith('_')) return 'is an obfuscated identifier (RFC 7239), not an address';
  if (s.startsWith('unix:')) return 'is a unix socket, not an address';
  if (/^\[[^\]]*\]?/.test(s)) return 'is not a valid bracketed IPv6 address with optional port';
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?(:\d+)?$/i.test(s) && /[a-z]/i.test(s)) return 'is a host name, not an address';
  return 'is not an IP address';
}

/** JSON-quoted and cut to `max` characters, for details that quote logged text */
export function shown(s: string, max = 200): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
