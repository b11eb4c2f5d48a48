/** Collects the fields of a custom-format or JSON line and turns them into a ParsedLine (with field-level errors). */
import { accept, deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import type { RejectReason } from '../ingest/reason-codes.js';
import { parseClfTime, parseEpochTime, parseIsoTime, parseAnyTime, type TimeResult } from './clf-time.js';
import type { FieldName } from './format-fields.js';
import { splitRequestLine } from './request-line.js';

export interface Fields {
  time: TimeResult | null;
  timeField: string;
  remoteAddr: string;
  request: string | null;
  method: string;
  uri: string;
  query: string;
  protocol: string;
  status: number;
  bytes: number;
  referer: string;
  userAgent: string;
  xForwardedFor: string;
  forwarded: string;
  xRealIp: string;
  vhost: string;
  durationMs: number;
  user: string;
}

export function newFields(): Fields {
  return { time: null, timeField: '', remoteAddr: '', request: null, method: '', uri: '', query: '', protocol: '', status: 0, bytes: 0, referer: '', userAgent: '', xForwardedFor: '', forwarded: '', xRealIp: '', vhost: '', durationMs: 0, user: '' };
}

const dash = (v: string) => (v === '-' ? '' : v);

export function fillField(f: Fields, name: FieldName, value: string | number): { reason: RejectReason; detail: string } | null {
  const v = typeof value === 'number' ? String(value) : value;
  switch (name) {
    case 'remote_addr': f.remoteAddr = v; break;
    case 'time_clf': f.time = parseClfTime(v.startsWith('[') ? v.slice(1, -1) : v); f.timeField = 'time_local'; break;
    case 'time_iso': f.time = parseIsoTime(v); f.timeField = 'time_iso8601'; break;
    case 'time_msec': case 'time_epoch_s': f.time = parseEpochTime(value); f.timeField = 'msec'; break;
    case 'request': f.request = v; break;
    case 'method': f.method = dash(v); break;
    case 'uri': f.uri = dash(v); break;
    case 'query': f.query = dash(v); break;
    case 'protocol': f.protocol = dash(v); break;
    case 'status': {
      const n = Number(v);
      if (!(Number.isInteger(n) && n >= 100 && n <= 599)) return { reason: 'bad_status', detail: `"${v.slice(0, 40)}" is not an HTTP status` };
      f.status = n;
      break;
    }
    case 'bytes': {
      if (v === '-' || v === '') break;
      const n = Number(v);
      if (!(Number.isInteger(n) && n >= 0)) return { reason: 'bad_number', detail: `"${v.slice(0, 40)}" is not a byte count` };
      f.bytes = n;
      break;
    }
    case 'referer': f.referer = dash(v); break;
    case 'user_agent': f.userAgent = dash(v); break;
    case 'x_forwarded_for': f.xForwardedFor = dash(v); break;
    case 'forwarded': f.forwarded = dash(v); break;
    case 'x_real_ip': f.xRealIp = dash(v); break;
    case 'vhost': f.vhost = dash(v); break;
    case 'user': f.user = dash(v); break;
    case 'duration_s': case 'duration_ms': case 'duration_us': {
      if (v === '-' || v === '') break;
      const n = Number(v);
      if (!(Number.isFinite(n) && n >= 0)) return { reason: 'bad_number', detail: `"${v.slice(0, 40)}" is not a duration` };
      f.durationMs = name === 'duration_s' ? n * 1000 : name === 'duration_us' ? n / 1000 : n;
      break;
    }
    case 'ignore': break;
  }
  return null;
}

export function fillTime(f: Fields, value: string | number, field: string): void {
  f.time = parseAnyTime(value);
  f.timeField = field;
}

export function finishFields(f: Fields): StageResult<ParsedLine> {
  if (!f.time) return deadLetter('malformed_line', 'parse', 'time', 'the format has no time field');
  if (!f.time.ok) return deadLetter('bad_timestamp', 'parse', f.timeField, f.time.error);
  let { method, protocol } = f;
  let path = f.uri !== '' && f.query !== '' && !f.uri.includes('?') ? `${f.uri}?${f.query}` : f.uri;
  if (f.request !== null) {
    const rl = splitRequestLine(f.request);
    method = method || rl.method;
    path = path || rl.path;
    protocol = protocol || rl.protocol;
  }
  return accept({
    tsMs: f.time.ms, remoteAddr: f.remoteAddr, xForwardedFor: f.xForwardedFor, forwarded: f.forwarded, xRealIp: f.xRealIp, vhost: f.vhost,
    method, path, protocol, status: f.status, bytes: f.bytes, referer: f.referer, userAgent: f.userAgent, durationMs: f.durationMs, user: f.user,
  });
}
