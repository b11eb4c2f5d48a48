/**
 * What the pipeline keeps of a MaxMind answer, and how it is taken from the GeoIP2/GeoLite2 records.
 *  - country: `country.iso_code` (where MaxMind places the user). Not `registered_country` (where the block is
 *    registered): for anycast, satellite and some mobile networks that is a different country, and a guessed
 *    country is worse than an empty one. Records with only a continent give ''.
 *  - city: the English name of `city`; geonameId: the GeoNames id of the most specific place known (the city,
 *    else the country), 0 when none.
 *  - asn / asOrg from the ASN database (GeoLite2-ASN, or the ASN fields of GeoIP2-ISP).
 *  - dbBuild / asnDbBuild: build epochs (s) of the databases that answered, also for a missing record, so a row
 *    says which database found nothing.
 */
import type { AsnResponse, CityResponse } from 'maxmind';
import type { GeoInfo as StageGeoInfo } from '../pipeline/stages.js';

/** the stage's GeoInfo (shared/pipeline/stages.ts) plus the ASN database's build */
export interface GeoInfo extends StageGeoInfo {
  /** build epoch (s) of the ASN database, 0 when none is loaded */
  asnDbBuild: number;
}

export function emptyGeoInfo(dbBuild: number, asnDbBuild: number): GeoInfo {
  return Object.freeze({ country: '', city: '', geonameId: 0, asn: 0, asOrg: '', dbBuild, asnDbBuild });
}

export const EMPTY_GEO_INFO: GeoInfo = emptyGeoInfo(0, 0);

/** A frozen GeoInfo from a City/Country record and an ASN record (either may be null). */
export function toGeoInfo(place: CityResponse | null, as: AsnResponse | null, dbBuild: number, asnDbBuild: number): GeoInfo {
  let country = '';
  let city = '';
  let geonameId = 0;
  if (place !== null) {
    const c = place.country;
    if (c !== undefined) {
      country = typeof c.iso_code === 'string' ? c.iso_code : '';
      if (typeof c.geoname_id === 'number') geonameId = c.geoname_id;
    }
    const ct = place.city;
    if (ct !== undefined) {
      const en = ct.names?.en;
      city = typeof en === 'string' ? en : '';
      if (typeof ct.geoname_id === 'number') geonameId = ct.geoname_id;
    }
  }
  let asn = 0;
  let asOrg = '';
  if (as !== null) {
    if (typeof as.autonomous_system_number === 'number') asn = as.autonomous_system_number;
    if (typeof as.autonomous_system_organization === 'string') asOrg = as.autonomous_system_organization;
  }
  return Object.freeze({ country, city, geonameId, asn, asOrg, dbBuild, asnDbBuild });
}
