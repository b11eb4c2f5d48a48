/**
 * Collects the fields of a custom-format or JSON line (field by field, each checked with a precise error) and
 * turns them into a ParsedLine. `-` means "not logged": '' for text, 0 for bytes and durations.
 */
import { accept, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import type { RejectReason } from '../ingest/reason-codes.js';
import { parseAnyTime, parseClfTime, parseEpochTime, parseIsoTime, type TimeResult } from './clf-time.js';
import { hostWithoutPort } from './client-section.js';
import { dashToEmpty } from './field-escapes.js';
import type { FieldKind } from './format-fields.js';
import { splitRequestLine } from './request-line.js';

export class Fields {
  timeMs = NaN;
  fracMs = 0;
  remoteAddr = '';
  request: string | null = null;
  method = '';
  uri = '';
  query = '';
  protocol = '';
  status = 0;
  bytes = 0;
  referer = '';
  userAgent = '';
  xForwardedFor = '';
  forwarded = '';
  xRealIp = '';
  vhost = '';
  durationMs = 0;
  user = '';
}

export interface FillError {
  reason: RejectReason;
  detail: string;
}

const shown = (v: string | number) => JSON.stringify(typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…` : v);

function time(f: Fields, r: TimeResult): FillError | null {
  if (!r.ok) return { reason: 'bad_timestamp', detail: r.error };
  f.timeMs = r.ms;
  return null;
}

function nonNegative(v: string | number, integer: boolean): number {
  if (typeof v === 'number') return v >= 0 && (!integer || Number.isInteger(v)) ? v : NaN;
  if (v === '' || v.length > 20) return NaN;
  const n = Number(v);
  if (!(n >= 0) || (integer && !/^\d+$/.test(v))) return NaN;
  return n;
}

/**
 * Fills one field. `strftime` reads `time_strftime` values. Returns an error for a value that cannot be what the
 * format says it is (status `abc`, bytes `1.5`, time `10/Foo/2000...`); null when the field is taken.
 */
export function fillField(f: Fields, kind: FieldKind, value: string | number, strftime?: (s: string) => TimeResult): FillError | null {
  const v = typeof value === 'string' ? value : String(value);
  switch (kind) {
    case 'remote_addr': case 'remote_addr_peer': f.remoteAddr = v; return null;
    case 'addr_list': {
      const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '' && x !== '-');
      f.remoteAddr = items.pop() ?? '';
      if (f.xForwardedFor === '') f.xForwardedFor = items.join(', ');
      return null;
    }
    case 'time_clf': return time(f, parseClfTime(v));
    case 'time_clf_bracketed': return time(f, parseClfTime(v.charCodeAt(0) === 91 && v.charCodeAt(v.length - 1) === 93 ? v.slice(1, -1) : v));
    case 'time_iso': return time(f, parseIsoTime(v));
    case 'time_epoch': case 'time_epoch_us': return time(f, parseEpochTime(v));
    case 'time_any': return time(f, parseAnyTime(value));
    case 'time_strftime': return time(f, strftime ? strftime(v) : parseAnyTime(v));
    case 'time_frac_ms': case 'time_frac_us': {
      if (!/^\d{3}$|^\d{6}$/.test(v)) return { reason: 'bad_timestamp', detail: `${shown(v)} is not a ${kind === 'time_frac_ms' ? '3' : '6'}-digit fraction of a second` };
      f.fracMs = Number(v.slice(0, 3));
      return null;
    }
    case 'request': f.request = v; return null;
    case 'method': f.method = dashToEmpty(v); return null;
    case 'uri': f.uri = dashToEmpty(v); return null;
    case 'query': f.query = dashToEmpty(v); return null;
    case 'protocol': f.protocol = dashToEmpty(v); return null;
    case 'status': case 'status_weak': {
      const n = typeof value === 'number' ? value : v.length === 3 ? Number(v) : NaN;
      if (!(Number.isInteger(n) && n >= 100 && n <= 999)) return { reason: 'bad_status', detail: `${shown(value)} is not a 3-digit HTTP status` };
      f.status = n;
      return null;
    }
    case 'bytes': case 'bytes_total': {
      if (v === '-' || v === '') return null;
      const n = nonNegative(value, true);
      if (Number.isNaN(n)) return { reason: 'bad_number', detail: `${shown(value)} is not a byte count (digits or -)` };
      f.bytes = n;
      return null;
    }
    case 'referer': f.referer = dashToEmpty(v); return null;
    case 'user_agent': f.userAgent = dashToEmpty(v); return null;
    case 'x_forwarded_for': f.xForwardedFor = dashToEmpty(v); return null;
    case 'forwarded': f.forwarded = dashToEmpty(v); return null;
    case 'x_real_ip': f.xRealIp = dashToEmpty(v); return null;
    case 'vhost': f.vhost = hostWithoutPort(dashToEmpty(v)); return null;
    case 'user': f.user = dashToEmpty(v); return null;
    case 'duration_s': case 'duration_ms': case 'duration_us': case 'duration_ns': {
      if (v === '-' || v === '') return null;
      const n = nonNegative(value, false);
      if (Number.isNaN(n)) return { reason: 'bad_number', detail: `${shown(value)} is not a duration` };
      f.durationMs = kind === 'duration_s' ? n * 1000 : kind === 'duration_ms' ? n : kind === 'duration_us' ? n / 1000 : n / 1e6;
      return null;
    }
    case 'query_mark': case 'ignore': return null;
  }
}

/** The ParsedLine of filled fields; the time must have been filled. */
export function finishFields(f: Fields): StageResult<ParsedLine> {
  let { method, protocol } = f;
  let path = f.uri;
  if (f.query !== '' && path.indexOf('?') < 0) path += f.query.charCodeAt(0) === 63 ? f.query : `?${f.query}`;
  if (f.request !== null) {
    const rl = splitRequestLine(f.request);
    if (method === '') method = rl.method;
    if (path === '') path = rl.path;
    if (protocol === '') protocol = rl.protocol;
  }
  return accept({
    tsMs: f.timeMs % 1000 === 0 ? f.timeMs + f.fracMs : f.timeMs, remoteAddr: f.remoteAddr, xForwardedFor: f.xForwardedFor, forwarded: f.forwarded, xRealIp: f.xRealIp,
    vhost: f.vhost, method, path, protocol, status: f.status, bytes: f.bytes, referer: f.referer, userAgent: f.userAgent,
    durationMs: f.durationMs, user: f.user,
  });
}
