/**
 * The pipeline's stage interfaces. Parsers are pure functions; stages return dead-letter results for bad data
 * and throw only for infrastructure failures.
 */
import type { ParsedLine, StageResult } from '../model/parsed-line.js';

export interface Parser {
  (line: string): StageResult<ParsedLine>;
}

export type IpSource = 'remote_addr' | 'x-forwarded-for' | 'forwarded' | 'x-real-ip';

export interface ClientIpResolver {
  (p: ParsedLine): StageResult<{ ip: string; via: IpSource }>;
}

export interface GeoInfo {
  country: string;
  city: string;
  geonameId: number;
  asn: number;
  asOrg: string;
  /** build epoch (s) of the City/Country database, 0 when none is loaded */
  dbBuild: number;
}

export interface GeoEnricher {
  lookup(ip: string): GeoInfo;
  healthcheck(): { ok: boolean; detail?: string };
  close(): Promise<void> | void;
}

/** Tor status at ingest: 0 unknown, 1 exit, 2 near, 3 not_exit (the `tor_at_ingest` Enum values). */
export type TorCode = 0 | 1 | 2 | 3;
export const TOR_CODE_NAMES = ['unknown', 'exit', 'near', 'not_exit'] as const;

export interface TorStatusLookup {
  /** verdict at time `tsMs` for a canonical IP; never blocks, never throws */
  code(ip: string, tsMs: number): TorCode;
  /** history version the answers come from (stored with each row), 0 when there is no history */
  readonly version: number;
}

/** Until Tor history is loaded every answer is `unknown`, never "not Tor". */
export const NO_TOR_HISTORY: TorStatusLookup = { code: () => 0, version: 0 };

export interface HealthReport {
  ok: boolean;
  detail?: string;
}
