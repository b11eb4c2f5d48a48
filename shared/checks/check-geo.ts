/**
 * Geo and ASN of an IP "at the time": what ingest stored for the IP's request nearest to the time (the database
 * of that day answered), else the MaxMind databases loaded now, else nothing. The answer says which.
 */
import type { Config } from '../config/load-config.js';
import { createGeoEnricher, type ReloadableGeoEnricher } from '../geo/geo-enricher.js';
import { iso } from '../tor/tor-time.js';
import type { StoredGeo } from './check-activity.js';

export interface CheckGeo {
  country: string;
  city: string;
  asn: number;
  asOrg: string;
  /** `requests`: stored with the request at `at`; `current_database`: today's database (built `databaseBuild`) */
  source: 'requests' | 'current_database' | 'none';
  at?: string;
  databaseBuild?: string;
  note: string;
}

export type GeoLookup = Pick<ReloadableGeoEnricher, 'lookup' | 'builds'>;

/** the configured MaxMind databases (no file watching: a check run is short), or null when none is configured */
export function openCheckGeo(c: Config): (GeoLookup & { close(): void }) | null {
  if (!c.geoCityDb && !c.geoCountryDb && !c.geoAsnDb) return null;
  return createGeoEnricher({ cityDbPath: c.geoCityDb, countryDbPath: c.geoCountryDb, asnDbPath: c.geoAsnDb, watch: false, memoSize: 10_000 });
}

export function pickGeo(ip: string, stored: StoredGeo | null, current: GeoLookup | null): CheckGeo {
  if (stored) return { ...stored, source: 'requests', note: `as stored with this IP's request at ${stored.at} (geo database of that time)` };
  if (current) {
    const g = current.lookup(ip);
    const b = current.builds();
    const build = Math.max(b.geo, b.asn);
    return {
      country: g.country, city: g.city, asn: g.asn, asOrg: g.asOrg, source: 'current_database', databaseBuild: build > 0 ? iso(build * 1000) : undefined,
      note: 'no stored request of this IP in the window: from the MaxMind database loaded now, which may differ from the allocation at the time',
    };
  }
  return { country: '', city: '', asn: 0, asOrg: '', source: 'none', note: 'no stored request of this IP in the window and no MaxMind database configured' };
}
