/**
 * JSON access-log lines (one object per line) with a field mapping: presets for nginx `escape=json` formats,
 * Caddy's access log and Traefik's access log, or a custom mapping `{ "time": "path.to.field", ... }`.
 */
import { deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import { TorlogsError } from '../core/errors.js';
import type { FieldName } from './format-fields.js';
import { fillField, fillTime, finishFields, newFields } from './format-fill.js';

/** mapping target → candidate source paths (first present wins); `time` accepts CLF, ISO, epoch s/ms */
export type JsonMapping = Partial<Record<FieldName | 'time', string[]>>;

export const JSON_PRESETS: Record<string, JsonMapping> = {
  json: {
    time: ['time_iso8601', 'time_local', 'timestamp', '@timestamp', 'time', 'ts', 'msec'],
    remote_addr: ['remote_addr', 'client_ip', 'remote_ip', 'ip'],
    request: ['request'], method: ['request_method', 'method'], uri: ['request_uri', 'uri', 'path'], protocol: ['server_protocol', 'protocol'],
    status: ['status'], bytes: ['body_bytes_sent', 'bytes_sent', 'bytes'], referer: ['http_referer', 'referer'], user_agent: ['http_user_agent', 'user_agent'],
    x_forwarded_for: ['http_x_forwarded_for', 'x_forwarded_for'], forwarded: ['http_forwarded'], x_real_ip: ['http_x_real_ip'],
    vhost: ['host', 'server_name', 'http_host', 'vhost'], duration_s: ['request_time'], user: ['remote_user'],
  },
  caddy: {
    time: ['ts'], remote_addr: ['request.remote_ip'], method: ['request.method'], uri: ['request.uri'], protocol: ['request.proto'],
    status: ['status'], bytes: ['size'], referer: ['request.headers.Referer'], user_agent: ['request.headers.User-Agent'],
    x_forwarded_for: ['request.headers.X-Forwarded-For'], forwarded: ['request.headers.Forwarded'], x_real_ip: ['request.headers.X-Real-Ip'],
    vhost: ['request.host'], duration_s: ['duration'], user: ['user_id'],
  },
  traefik: {
    time: ['StartUTC', 'time'], remote_addr: ['ClientHost'], method: ['RequestMethod'], uri: ['RequestPath'], protocol: ['RequestProtocol'],
    status: ['DownstreamStatus', 'OriginStatus'], bytes: ['DownstreamContentSize'], referer: ['request_Referer'], user_agent: ['request_User-Agent'],
    x_forwarded_for: ['request_X-Forwarded-For'], forwarded: ['request_Forwarded'], x_real_ip: ['request_X-Real-Ip'],
    vhost: ['RequestHost'], duration_ms: ['Duration'], user: ['ClientUsername'],
  },
};

function get(obj: Record<string, unknown>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return Array.isArray(cur) ? cur.join(', ') : cur;
}

export function parseJsonMapping(spec: string): JsonMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(spec);
  } catch (err) {
    throw new TorlogsError('usage_invalid', `JSON field mapping is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null) throw new TorlogsError('usage_invalid', 'JSON field mapping must be an object like {"time":"ts","remote_addr":"ip"}');
  const out: JsonMapping = {};
  for (const [k, v] of Object.entries(raw)) out[k as FieldName] = Array.isArray(v) ? v.map(String) : [String(v)];
  if (!out.time) throw new TorlogsError('usage_invalid', 'JSON field mapping needs a "time" entry');
  return out;
}

export function createJsonParser(mapping: JsonMapping): (line: string) => StageResult<ParsedLine> {
  const entries = Object.entries(mapping) as Array<[FieldName | 'time', string[]]>;
  return (line) => {
    const t = line.trim();
    if (t === '') return deadLetter('empty_line', 'parse', 'line', 'line is empty');
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (err) {
      return deadLetter('bad_json', 'parse', 'line', `not JSON: ${(err as Error).message}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return deadLetter('bad_json', 'parse', 'line', 'a JSON access-log line must be an object');
    const f = newFields();
    for (const [target, paths] of entries) {
      let value: unknown;
      let from = '';
      for (const p of paths) {
        value = get(obj as Record<string, unknown>, p);
        if (value !== undefined && value !== null) {
          from = p;
          break;
        }
      }
      if (value === undefined || value === null) continue;
      if (target === 'time') {
        if (typeof value !== 'string' && typeof value !== 'number') return deadLetter('bad_timestamp', 'parse', from, `"${String(value)}" is not a time`);
        fillTime(f, value, from);
        continue;
      }
      const v = target === 'duration_ms' && from === 'Duration' ? Number(value) / 1e6 : value;
      const err = fillField(f, target, typeof v === 'number' ? v : String(v));
      if (err) return deadLetter(err.reason, 'parse', from, err.detail);
    }
    if (!f.time) return deadLetter('missing_field', 'parse', (mapping.time ?? []).join('|'), 'no time field in the JSON line');
    if (f.remoteAddr === '') return deadLetter('missing_field', 'parse', (mapping.remote_addr ?? []).join('|'), 'no client address field in the JSON line');
    return finishFields(f);
  };
}
