/**
 * Field mappings for JSON access logs: which JSON path holds which field. Each target lists candidate paths (first
 * present wins); `a.b.c` walks nested objects, a key that itself contains dots is tried first as a flat key.
 * Header values that are arrays (Caddy) are joined with ", ".
 */
import { TorlogsError } from '../core/errors.js';

export const JSON_TARGETS = [
  'ts', 'remote_addr', 'x_forwarded_for', 'forwarded', 'x_real_ip', 'vhost', 'request', 'method', 'path', 'query', 'protocol',
  'status', 'bytes', 'referer', 'user_agent', 'duration', 'user',
] as const;
export type JsonTarget = (typeof JSON_TARGETS)[number];
export type DurationUnit = 's' | 'ms' | 'us' | 'ns';

/**
 * `ts` (required) accepts CLF (with or without brackets), ISO 8601 or epoch s/ms/µs/ns (string or number);
 * `remote_addr` is required too; every other target is optional ('' / 0 when absent).
 */
export type JsonMapping = { [K in JsonTarget]?: string | string[] } & { ts: string | string[]; remote_addr: string | string[]; duration_unit?: DurationUnit };

/** nginx `log_format ... escape=json '{...}'` with the usual key names (the variable names, and common spellings). */
const NGINX_JSON: JsonMapping = {
  ts: ['time_iso8601', 'time_local', 'msec', 'timestamp', '@timestamp', 'time', 'ts'],
  remote_addr: ['remote_addr', 'remote_ip', 'client_ip', 'ip'],
  x_forwarded_for: ['http_x_forwarded_for', 'x_forwarded_for', 'xff'],
  forwarded: ['http_forwarded', 'forwarded'],
  x_real_ip: ['http_x_real_ip', 'x_real_ip'],
  vhost: ['host', 'server_name', 'http_host', 'vhost'],
  request: ['request'],
  method: ['request_method', 'method'],
  path: ['request_uri', 'uri', 'path'],
  query: ['args', 'query_string'],
  protocol: ['server_protocol', 'protocol'],
  status: ['status'],
  bytes: ['body_bytes_sent', 'bytes_sent', 'bytes'],
  referer: ['http_referer', 'http_referrer', 'referer', 'referrer'],
  user_agent: ['http_user_agent', 'user_agent'],
  duration: ['request_time'],
  duration_unit: 's',
  user: ['remote_user'],
};

/** Caddy v2 `http.log.access` (JSON encoder): ts = float epoch seconds, duration in seconds, headers as arrays. */
const CADDY: JsonMapping = {
  ts: 'ts',
  remote_addr: 'request.remote_ip',
  x_forwarded_for: 'request.headers.X-Forwarded-For',
  forwarded: 'request.headers.Forwarded',
  x_real_ip: 'request.headers.X-Real-Ip',
  vhost: 'request.host',
  method: 'request.method',
  path: 'request.uri',
  protocol: 'request.proto',
  status: 'status',
  bytes: 'size',
  referer: 'request.headers.Referer',
  user_agent: 'request.headers.User-Agent',
  duration: 'duration',
  duration_unit: 's',
  user: 'user_id',
};

/** Traefik v2/v3 access log, format json: Duration in ns; request headers only when kept (`request_<Header>`). */
const TRAEFIK: JsonMapping = {
  ts: ['StartUTC', 'time'],
  remote_addr: 'ClientHost',
  x_forwarded_for: 'request_X-Forwarded-For',
  forwarded: 'request_Forwarded',
  x_real_ip: 'request_X-Real-Ip',
  vhost: 'RequestHost',
  method: 'RequestMethod',
  path: 'RequestPath',
  protocol: 'RequestProtocol',
  status: ['DownstreamStatus', 'OriginStatus'],
  bytes: ['DownstreamContentSize', 'OriginContentSize'],
  referer: 'request_Referer',
  user_agent: 'request_User-Agent',
  duration: 'Duration',
  duration_unit: 'ns',
  user: 'ClientUsername',
};

export const JSON_PRESETS = { json: NGINX_JSON, nginx_json: NGINX_JSON, caddy: CADDY, traefik: TRAEFIK } as const;
export type JsonPresetName = keyof typeof JSON_PRESETS;

export function isJsonPreset(name: string): name is JsonPresetName {
  return Object.prototype.hasOwnProperty.call(JSON_PRESETS, name);
}

/** Checks a mapping given by a user (`json:{"ts":"time","remote_addr":"ip"}` or an object); throws a usage error. */
export function validateJsonMapping(raw: unknown, source: string): JsonMapping {
  let obj = raw;
  if (typeof raw === 'string') {
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      throw new TorlogsError('usage_invalid', `JSON field mapping ${source} is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new TorlogsError('usage_invalid', `JSON field mapping ${source} must be an object like {"ts":"time","remote_addr":"ip"}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'duration_unit') {
      if (v !== 's' && v !== 'ms' && v !== 'us' && v !== 'ns') throw new TorlogsError('usage_invalid', `JSON field mapping ${source}: duration_unit must be s, ms, us or ns`);
    } else if (!(JSON_TARGETS as readonly string[]).includes(k)) {
      throw new TorlogsError('usage_invalid', `JSON field mapping ${source}: unknown target "${k}" (targets: ${JSON_TARGETS.join(', ')}, duration_unit)`);
    } else if (!(typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')))) {
      throw new TorlogsError('usage_invalid', `JSON field mapping ${source}: "${k}" must be a JSON path or a list of paths`);
    }
    out[k] = v;
  }
  if (out.ts === undefined || out.remote_addr === undefined) throw new TorlogsError('usage_invalid', `JSON field mapping ${source} needs "ts" and "remote_addr"`);
  return out as JsonMapping;
}
