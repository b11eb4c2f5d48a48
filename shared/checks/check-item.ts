/**
 * One item of a retrospective check: an IP, a time with an offset and optionally a site. Parsing returns the
 * normalised item or a field error naming what is wrong (the CLI adds the line, the API the array index).
 */
import { normalizeIp } from '../net/ip.js';
import { parseCheckTime } from './check-time.js';

export interface CheckItemInput {
  ip: unknown;
  time: unknown;
  site?: unknown;
}

export interface CheckItem {
  /** canonical IP (an IPv4-mapped address is the IPv4 address) */
  ip: string;
  /** the IP as given (shown in the result when it differs from the canonical form) */
  input?: string;
  atMs: number;
  /** null: every site */
  site: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export type ItemResult = { ok: true; item: CheckItem } | { ok: false; error: FieldError };

export const MAX_SITE_LENGTH = 253;
const SITE = /^[\x21-\x7e]+$/;

export function parseIpField(raw: unknown, field = 'ip'): { ok: true; ip: string } | { ok: false; error: FieldError } {
  if (typeof raw !== 'string') return { ok: false, error: { field, message: `${field} must be a string with an IPv4 or IPv6 address` } };
  const ip = normalizeIp(raw);
  if (ip === null) return { ok: false, error: { field, message: `${field}: ${JSON.stringify(raw.slice(0, 60))} is not an IPv4 or IPv6 address` } };
  return { ok: true, ip };
}

export function parseSiteField(raw: unknown, field = 'site'): { ok: true; site: string | null } | { ok: false; error: FieldError } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, site: null };
  if (typeof raw !== 'string') return { ok: false, error: { field, message: `${field} must be a string` } };
  if (raw.length > MAX_SITE_LENGTH || !SITE.test(raw)) return { ok: false, error: { field, message: `${field}: ${JSON.stringify(raw.slice(0, 60))} is not a site name (printable ASCII without spaces, at most ${MAX_SITE_LENGTH} characters)` } };
  return { ok: true, site: raw };
}

export function parseTimeField(raw: unknown, field = 'time'): { ok: true; ms: number } | { ok: false; error: FieldError } {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, error: { field, message: `${field} must be a string (ISO 8601 with offset, RFC 2822, CLF) or an epoch number` } };
  const t = parseCheckTime(raw);
  if (!t.ok) return { ok: false, error: { field, message: `${field}: ${t.error}` } };
  return { ok: true, ms: t.ms };
}

/** `prefix` is prepended to field names (`items.3.` in the API) */
export function parseCheckItem(raw: CheckItemInput, prefix = ''): ItemResult {
  const ip = parseIpField(raw.ip, `${prefix}ip`);
  if (!ip.ok) return ip;
  const t = parseTimeField(raw.time, `${prefix}time`);
  if (!t.ok) return t;
  const site = parseSiteField(raw.site, `${prefix}site`);
  if (!site.ok) return site;
  return { ok: true, item: { ip: ip.ip, input: raw.ip as string, atMs: t.ms, site: site.site } };
}
