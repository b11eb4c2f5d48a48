/**
 * What the Tor history store accepts: one parsed source document (an exit list, a bulk snapshot, an Onionoo
 * document, a consensus) as observations plus the time range it vouches for. Parsers in shared/tor produce it.
 */
export interface TorObservationRow {
  /** canonical IP (shared/net/ip.ts) */
  ip: string;
  observedAtMs: number;
  /** exit_scan | bulk_snapshot | onionoo_exit | consensus_exit_or | ... */
  kind: string;
  /** relay fingerprint (40 hex) when the source names one, '' otherwise */
  fingerprint: string;
  /** the relay descriptor's publication time when known (TorDNSEL `Published`), 0 otherwise */
  publishedAtMs: number;
}

export interface TorCoverageRange {
  kind: string;
  fromMs: number;
  toMs: number;
}

export interface TorDocument {
  /** stable id of the content (sha256): importing the same bytes twice changes nothing */
  sourceId: string;
  /** file name or URL, for evidence */
  source: string;
  kind: string;
  /** when the document was fetched/produced (TorDNSEL `Downloaded`, snapshot time, consensus valid-after) */
  downloadedAtMs: number;
  observations: TorObservationRow[];
  coverage: TorCoverageRange[];
  /** lines of the document that were rejected (counted, reported with line numbers by the importer) */
  rejected: number;
}
