/**
 * One line through the stages: length check → parse → client IP → geo → Tor at ingest → encode. The result is
 * appended to the batch as a `requests` row or as a dead letter; nothing is dropped. The hot path allocates little:
 * the client's columns are encoded once per client (bounded memo), and a line with nothing to escape is not
 * escaped field by field.
 */
import type { Rejection } from '../model/parsed-line.js';
import { normalizeIp } from '../net/ip.js';
import type { ClientIpResolver, GeoEnricher, GeoInfo, Parser, TorStatusLookup } from '../pipeline/stages.js';
import { TOR_CODE_NAMES } from '../pipeline/stages.js';
import type { Batch } from './batch.js';
import type { RejectReason } from './reason-codes.js';
import { createBoundedMemo } from '../core/bounded-memo.js';
import { encodeClientColumns, encodeRejectRow, encodeRequestRow, escapeFree } from './row-encoder.js';
import type { SourcePosition } from './source-position.js';

export interface LineProcessorDeps {
  parser: Parser;
  clientIp: ClientIpResolver;
  geo: GeoEnricher | null;
  /** current Tor lookup (swapped atomically when history changes) */
  tor: () => TorStatusLookup;
  maxLineBytes: number;
  /** counters for metrics: geo hits, tor verdicts */
  stats?: LineStats;
}

export interface LineStats {
  geoHits: number;
  geoMisses: number;
  tor: [number, number, number, number];
}

export interface LineProcessor {
  /** returns true when stored as a row, false when dead-lettered */
  process(line: string, siteHint: string, pos: SourcePosition, batch: Batch, nowMs: number): boolean;
  /** dead-letter a line for a reason found before parsing (decode stage) */
  reject(rejection: Rejection, raw: string, site: string, pos: SourcePosition, batch: Batch, nowMs: number): void;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const EMPTY_GEO: GeoInfo = { country: '', city: '', geonameId: 0, asn: 0, asOrg: '', dbBuild: 0 };

export function newLineStats(): LineStats {
  return { geoHits: 0, geoMisses: 0, tor: [0, 0, 0, 0] };
}

/** `Shop.Example:443` → `shop.example`; IPv6 literals keep their colons. */
export function normalizeSite(raw: string): string {
  let s = raw.trim().toLowerCase();
  const colon = s.lastIndexOf(':');
  if (colon > 0 && s.indexOf(':') === colon && /^\d+$/.test(s.slice(colon + 1))) s = s.slice(0, colon);
  return s === '-' ? '' : s;
}

export function createLineProcessor(d: LineProcessorDeps): LineProcessor {
  const stats = d.stats ?? newLineStats();
  /** the encoded client columns of clients seen directly (no proxy), with the geo answer they were made from */
  const clients = createBoundedMemo<string, { geo: GeoInfo; columns: string }>('two-generation', 100_000);

  function reject(r: Rejection, raw: string, site: string, pos: SourcePosition, b: Batch, nowMs: number): void {
    b.rejects.push({ reason: r.reason, stage: r.stage, field: r.field, detail: r.detail, site, source: pos.source, partition: pos.partition, offset: pos.offset, lineIndex: pos.lineIndex, raw, tsv: encodeRejectRow(r, raw, site, pos, nowMs) });
    b.lines++;
  }
  const simple = (reason: RejectReason, stage: Rejection['stage'], field: string, detail: string): Rejection => ({ reason, stage, field, detail });

  return {
    reject,
    process(line, siteHint, pos, b, nowMs) {
      if (line.length > d.maxLineBytes || (line.length * 3 > d.maxLineBytes && Buffer.byteLength(line) > d.maxLineBytes)) {
        reject(simple('line_too_long', 'decode', 'line', `line is ${Buffer.byteLength(line)} bytes, limit TORLOGS_MAX_LINE_BYTES=${d.maxLineBytes}`), line, siteHint, pos, b, nowMs);
        return false;
      }
      const parsed = d.parser(line);
      if (!parsed.ok) {
        reject(parsed.rejection, line, siteHint, pos, b, nowMs);
        return false;
      }
      const p = parsed.value;
      const site = p.vhost !== '' ? normalizeSite(p.vhost) || siteHint : siteHint;
      const client = d.clientIp(p);
      if (!client.ok) {
        reject(client.rejection, line, site, pos, b, nowMs);
        return false;
      }
      const { ip, via } = client.value;
      const geo = d.geo ? d.geo.lookup(ip) : EMPTY_GEO;
      if (d.geo) {
        if (geo.country !== '' || geo.asn !== 0) stats.geoHits++;
        else stats.geoMisses++;
      }
      const tor = d.tor();
      const code = tor.code(ip, p.tsMs);
      stats.tor[code]++;
      let columns: string;
      if (via === 'remote_addr') {
        // one text per client and geo answer (a new database gives new GeoInfo objects, so a stale text is never reused)
        const known = clients.get(ip);
        if (known !== undefined && known.geo === geo) columns = known.columns;
        else {
          columns = encodeClientColumns(ip, via, ip, geo);
          clients.set(ip, { geo, columns });
        }
      } else columns = encodeClientColumns(ip, via, normalizeIp(p.remoteAddr) ?? '', geo);
      const offset = pos.offset <= MAX_SAFE ? Number(pos.offset) : pos.offset;
      encodeRequestRow(b.rows, p, site, columns, TOR_CODE_NAMES[code], tor.version, pos, offset, escapeFree(line));
      b.rowRaw.push(line);
      b.rowOffsets.push(offset);
      b.rowLineIndexes.push(pos.lineIndex);
      b.rowSites.push(site);
      b.lines++;
      return true;
    },
  };
}
