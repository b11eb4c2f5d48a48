/**
 * Encodes an enriched request into one TabSeparated row of `requests`, and a dead letter into one row of
 * `ingest_rejects`. Column lists are the single source of truth for both inserts.
 */
import type { ParsedLine, Rejection } from '../model/parsed-line.js';
import { toIPv6Column } from '../net/ip.js';
import type { SourcePosition } from './source-position.js';
import { tsvDateTime, tsvDateTime64, tsvEscape } from './tsv.js';

export const REQUEST_COLUMNS = [
  'ts', 'site', 'ip', 'ip_source', 'peer_ip', 'method', 'path', 'protocol', 'status', 'bytes', 'duration_ms',
  'referer', 'user_agent', 'remote_user', 'country', 'city', 'geoname_id', 'asn', 'as_org', 'geo_db_build',
  'tor_at_ingest', 'tor_history_version', 'source', 'source_partition', 'source_offset', 'line_index',
] as const;

export const REJECT_COLUMNS = [
  'received_at', 'reason', 'stage', 'field', 'error', 'site', 'source', 'source_partition', 'source_offset', 'line_index', 'raw',
] as const;

export interface Enrichment {
  /** canonical client IP */
  ip: string;
  ipSource: 'remote_addr' | 'x-forwarded-for' | 'forwarded' | 'x-real-ip';
  /** canonical connecting address, '' when it is not an IP (unix socket) */
  peerIp: string;
  site: string;
  country: string;
  city: string;
  geonameId: number;
  asn: number;
  asOrg: string;
  /** build epoch (s) of the geo database used */
  geoDbBuild: number;
  /** 'unknown' | 'exit' | 'near' | 'not_exit' */
  tor: string;
  torVersion: number;
}

export function encodeRequestRow(p: ParsedLine, e: Enrichment, pos: SourcePosition): string {
  return (
    tsvDateTime64(p.tsMs) + '\t' +
    tsvEscape(e.site) + '\t' +
    toIPv6Column(e.ip) + '\t' +
    e.ipSource + '\t' +
    (e.peerIp === '' ? '::' : toIPv6Column(e.peerIp)) + '\t' +
    tsvEscape(p.method) + '\t' +
    tsvEscape(p.path) + '\t' +
    tsvEscape(p.protocol) + '\t' +
    p.status + '\t' +
    p.bytes + '\t' +
    Math.min(Math.max(Math.round(p.durationMs), 0), 4_294_967_295) + '\t' +
    tsvEscape(p.referer) + '\t' +
    tsvEscape(p.userAgent) + '\t' +
    tsvEscape(p.user) + '\t' +
    tsvEscape(e.country) + '\t' +
    tsvEscape(e.city) + '\t' +
    e.geonameId + '\t' +
    e.asn + '\t' +
    tsvEscape(e.asOrg) + '\t' +
    tsvDateTime(e.geoDbBuild) + '\t' +
    e.tor + '\t' +
    e.torVersion + '\t' +
    tsvEscape(pos.source) + '\t' +
    pos.partition + '\t' +
    pos.offset + '\t' +
    pos.lineIndex + '\n'
  );
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
