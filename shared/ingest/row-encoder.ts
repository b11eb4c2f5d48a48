/**
 * Encodes an enriched request into one TabSeparated row of `requests`, and a dead letter into one row of
 * `ingest_rejects`. Column lists are the single source of truth for both inserts (inserts name their columns, so
 * the order here is free): the nine columns that depend only on the client (address, how it was found, geo) are
 * adjacent, so the line processor encodes them once per client and reuses the text (`encodeClientColumns`).
 */
import type { ParsedLine, Rejection } from '../model/parsed-line.js';
import { toIPv6Column } from '../net/ip.js';
import type { GeoInfo, IpSource } from '../pipeline/stages.js';
import type { SourcePosition } from './source-position.js';
import type { RowBuffer } from './row-buffer.js';
import { TSV_NEEDS_ESCAPE, tsvDateTime, tsvDateTime64, tsvEscape, tsvSecond } from './tsv.js';

export const REQUEST_COLUMNS = [
  'ts', 'site', 'method', 'path', 'protocol', 'status', 'bytes', 'duration_ms', 'referer', 'user_agent', 'remote_user',
  'ip', 'ip_source', 'peer_ip', 'country', 'city', 'geoname_id', 'asn', 'as_org', 'geo_db_build',
  'tor_at_ingest', 'tor_history_version', 'source', 'source_partition', 'source_offset', 'line_index',
] as const;

export const REJECT_COLUMNS = [
  'received_at', 'reason', 'stage', 'field', 'error', 'site', 'source', 'source_partition', 'source_offset', 'line_index', 'raw',
] as const;

/**
 * The client's columns, `ip` … `geo_db_build`, without the surrounding tabs. `ip` and `peerIp` are canonical
 * (shared/net/ip.ts); `peerIp` is '' when the connecting address is not an IP (a unix socket).
 */
export function encodeClientColumns(ip: string, via: IpSource, peerIp: string, geo: GeoInfo): string {
  return (
    toIPv6Column(ip) + '\t' +
    via + '\t' +
    (peerIp === '' ? '::' : toIPv6Column(peerIp)) + '\t' +
    tsvEscape(geo.country) + '\t' +
    tsvEscape(geo.city) + '\t' +
    geo.geonameId + '\t' +
    geo.asn + '\t' +
    tsvEscape(geo.asOrg) + '\t' +
    tsvDateTime(geo.dbBuild)
  );
}

/** true when no part of `line` needs TabSeparated escaping: then no field parsed from it does either */
export const escapeFree = (line: string): boolean => !TSV_NEEDS_ESCAPE.test(line);

let lastSource = '';
let lastSourceText = '';

/** a string field; `clean`: the line it was parsed from has nothing to escape (escapeFree) */
function field(out: RowBuffer, s: string, clean: boolean): void {
  out.text(clean ? s : tsvEscape(s));
  out.tab();
}

function uintField(out: RowBuffer, v: number): void {
  out.uint(v);
  out.tab();
}

/**
 * Appends one `requests` row to `out`. `client` is encodeClientColumns' text, `site` the site before escaping,
 * `offset` the position's offset as a number when it is below 2^53, `clean` what escapeFree said of the raw line
 * (parsers only cut or unescape: a line without tab, newline, backslash or NUL gives fields without them).
 */
export function encodeRequestRow(out: RowBuffer, p: ParsedLine, site: string, client: string, tor: string, torVersion: number, pos: SourcePosition, offset: number | bigint, clean: boolean): void {
  const ms = Math.trunc(p.tsMs); // as new Date(ms) does
  const sec = Math.floor(ms / 1000);
  const f = ms - sec * 1000;
  out.text(tsvSecond(sec));
  out.byte(46);
  out.byte(48 + Math.floor(f / 100));
  out.byte(48 + (Math.floor(f / 10) % 10));
  out.byte(48 + (f % 10));
  out.tab();
  field(out, tsvEscape(site), true);
  field(out, p.method, clean);
  field(out, p.path, clean);
  field(out, p.protocol, clean);
  uintField(out, p.status);
  uintField(out, p.bytes);
  uintField(out, Math.min(Math.max(Math.round(p.durationMs), 0), 4_294_967_295));
  field(out, p.referer, clean);
  field(out, p.userAgent, clean);
  field(out, p.user, clean);
  field(out, client, true);
  field(out, tor, true);
  uintField(out, torVersion);
  if (pos.source !== lastSource) {
    lastSourceText = tsvEscape(pos.source);
    lastSource = pos.source;
  }
  field(out, lastSourceText, true);
  uintField(out, pos.partition);
  if (typeof offset === 'number') out.uint(offset);
  else out.text(offset.toString());
  out.tab();
  out.uint(pos.lineIndex);
  out.endRow();
}

export function encodeRejectRow(r: Rejection, raw: string, site: string, pos: SourcePosition, receivedAtMs: number): string {
  return (
    tsvDateTime64(receivedAtMs) + '\t' +
    r.reason + '\t' +
    r.stage + '\t' +
    tsvEscape(r.field) + '\t' +
    tsvEscape(r.detail) + '\t' +
    tsvEscape(site) + '\t' +
    tsvEscape(pos.source) + '\t' +
    pos.partition + '\t' +
    pos.offset + '\t' +
    pos.lineIndex + '\t' +
    tsvEscape(raw) + '\n'
  );
}
