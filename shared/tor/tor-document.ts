/**
 * What a parsed Tor source document holds: observations (what it says about which IP, when, with the time span it
 * vouches for) and coverage (the time range over which the document would have listed every exit of an address
 * family). Coverage is what lets a verdict tell `not_exit` from `unknown` (docs/tor-verdicts.md).
 */
import type { IpFamily } from '../net/ip.js';

/**
 * Observation kinds, strongest first:
 *  exit_scan          TorDNSEL `ExitAddress`: a measured exit address at its scan time
 *  onionoo_exit       Onionoo `exit_addresses`: measured exit addresses of the past 24 h (no scan time)
 *  bulk_snapshot      listed in a bulk exit list (one IP per line) at the snapshot time; how the list is made is
 *                     the publisher's business
 *  consensus_exit_or  OR address (`r`, `a` lines) of a relay with the Exit flag in a consensus: it may exit elsewhere
 *  onionoo_exit_or    Onionoo `or_addresses` of a relay with the Exit flag: the same weakness
 */
export const OBSERVATION_KINDS = ['exit_scan', 'onionoo_exit', 'bulk_snapshot', 'consensus_exit_or', 'onionoo_exit_or'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** measured: an exit connection came from the IP; listed: a published exit list named it; or_address: a relay with
 * the Exit flag accepted onion-routing connections on it */
export type EvidenceStrength = 'measured' | 'listed' | 'or_address';

export const KIND_STRENGTH: Readonly<Record<ObservationKind, EvidenceStrength>> = {
  exit_scan: 'measured',
  onionoo_exit: 'measured',
  bulk_snapshot: 'listed',
  consensus_exit_or: 'or_address',
  onionoo_exit_or: 'or_address',
};

export const DOCUMENT_KINDS = ['tordnsel', 'bulk', 'consensus', 'onionoo'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface TorObservation {
  /** canonical IP (shared/net/ip.ts normalizeIp) */
  ip: string;
  kind: ObservationKind;
  /** relay fingerprint (40 upper-case hex) when the source names one, '' otherwise */
  fingerprint: string;
  /** the fact's own time: scan time, snapshot time, consensus valid-after, Onionoo relay last_seen */
  observedAtMs: number;
  /** the span this observation vouches for: the IP was an exit throughout [validFromMs, validToMs] */
  validFromMs: number;
  validToMs: number;
  /** TorDNSEL `Published` (relay descriptor), 0 when the source has none */
  publishedAtMs: number;
  /** TorDNSEL `LastStatus` (relay last seen in a consensus), 0 when the source has none */
  lastStatusMs: number;
  /** the document's time (TorDNSEL `Downloaded`, snapshot time, valid-after, relays_published) */
  downloadedAtMs: number;
  /** the relay also had the BadExit flag (clients avoid it as an exit; it is still an exit relay) */
  badExit?: boolean;
}

export interface TorCoverage {
  /** the observation kind whose absence this coverage makes meaningful */
  kind: ObservationKind;
  /** address family the document lists completely (a list without IPv6 entries says nothing about IPv6) */
  family: IpFamily;
  fromMs: number;
  toMs: number;
}

export interface TorReject {
  /** 1-based line number (Onionoo JSON: 1-based position in `relays`) */
  line: number;
  reason: string;
  text: string;
}

export interface TorDocument {
  /** sha256 of the content (plus the snapshot time for formats without times of their own): same id = same document */
  sourceId: string;
  /** file name, archive member or URL, for evidence */
  source: string;
  kind: DocumentKind;
  /** the document's time (TorDNSEL `Downloaded`, snapshot time, consensus valid-after, Onionoo relays_published) */
  downloadedAtMs: number;
  observations: TorObservation[];
  coverage: TorCoverage[];
  rejects: TorReject[];
}

/** The document-independent part every parser receives. */
export interface ParserInput {
  text: string;
  source: string;
  sourceId: string;
}
