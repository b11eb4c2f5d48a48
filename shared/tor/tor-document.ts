/**
 * One parsed Tor source document: observations (what it says about which IP, with the time window it vouches
 * for) and coverage (the time range over which the document would have listed every exit it knows). The store
 * keeps both; verdicts come from them (docs/tor-verdicts.md).
 */
export const OBSERVATION_KINDS = ['exit_scan', 'bulk_snapshot', 'consensus_exit_or', 'onionoo_exit'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export const DOCUMENT_KINDS = ['tordnsel', 'bulk', 'consensus', 'onionoo'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface TorObservation {
  /** canonical IP (shared/net/ip.ts) */
  ip: string;
  kind: ObservationKind;
  /** relay fingerprint (40 upper-case hex) when the source names one, '' otherwise */
  fingerprint: string;
  /** the fact's own time: scan time, snapshot time, consensus valid-after, Onionoo publication */
  observedAtMs: number;
  /** window this observation vouches for (policy: docs/tor-verdicts.md) */
  validFromMs: number;
  validToMs: number;
  /** relay descriptor publication (TorDNSEL `Published`), 0 when unknown */
  publishedAtMs: number;
}

export interface TorCoverage {
  kind: ObservationKind;
  fromMs: number;
  toMs: number;
}

export interface TorReject {
  line: number;
  reason: string;
  text: string;
}

export interface TorDocument {
  /** sha256 of the content: importing the same bytes twice changes nothing */
  sourceId: string;
  /** file name or URL, for evidence */
  source: string;
  kind: DocumentKind;
  /** when the document was produced/fetched (TorDNSEL `Downloaded`, snapshot time, consensus valid-after) */
  downloadedAtMs: number;
  observations: TorObservation[];
  coverage: TorCoverage[];
  rejects: TorReject[];
}
