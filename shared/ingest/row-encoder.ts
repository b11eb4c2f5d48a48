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
import { TSV_NEEDS_ESCAPE, tsvDateTime, tsvDateTime64, tsvDay, tsvEscape } from './tsv.js';

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

const TAB = 9;

/**
 * Appends one `requests` row to `out`. `client` is encodeClientColumns' text, `site` the site before escaping,
 * `offset` the position's offset as a number when it is below 2^53, `clean` what escapeFree said of the raw line
 * (parsers only cut or unescape: a line without tab, newline, backslash or NUL gives fields without them).
 */
export function encodeRequestRow(out: RowBuffer, p: ParsedLine, site: string, client: string, tor: string, torVersion: number, pos: SourcePosition, offset: number | bigint, clean: boolean): void {
  // ts: DateTime64(3) text, `YYYY-MM-DD hh:mm:ss.mmm` UTC
  const ms = Math.trunc(p.tsMs); // as new Date(ms) does
  const day = Math.floor(ms / 86_400_000);
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  out.text(tsvDay(day));
  out.uint(h, 58, 2);
  out.uint(m, 58, 2);
  out.uint(sec, 46, 2);
  out.uint(rest - sec * 1000, TAB, 3);
  out.text(tsvEscape(site), TAB);
  out.text(clean ? p.method : tsvEscape(p.method), TAB);
  out.text(clean ? p.path : tsvEscape(p.path), TAB);
  out.text(clean ? p.protocol : tsvEscape(p.protocol), TAB);
  out.uint(p.status, TAB);
  out.uint(p.bytes, TAB);
  out.uint(Math.min(Math.max(Math.round(p.durationMs), 0), 4_294_967_295), TAB);
  out.text(clean ? p.referer : tsvEscape(p.referer), TAB);
  out.text(clean ? p.userAgent : tsvEscape(p.userAgent), TAB);
  out.text(clean ? p.user : tsvEscape(p.user), TAB);
  out.text(client, TAB);
  out.text(tor, TAB);
  out.uint(torVersion, TAB);
  if (pos.source !== lastSource) {
    lastSourceText = tsvEscape(pos.source);
    lastSource = pos.source;
  }
  out.text(lastSourceText, TAB);
  out.uint(pos.partition, TAB);
  if (typeof offset === 'number') out.uint(offset, TAB);
  else out.text(offset.toString(), TAB);
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
