/**
 * One MaxMind database held in memory (read from a Buffer, so a file replaced or even copied over in place can
 * never corrupt a live reader), validated before use: the database type must match what it is configured as.
 */
import { readFileSync, statSync } from 'node:fs';
import { Reader, type AsnResponse, type CityResponse, type CountryResponse } from 'maxmind';
import { TorlogsError } from '../core/errors.js';

export type GeoDbKind = 'city' | 'country' | 'asn';

export interface LoadedGeoDb {
  kind: GeoDbKind;
  path: string;
  reader: Reader<CityResponse | CountryResponse | AsnResponse>;
  /** build epoch, seconds */
  build: number;
  databaseType: string;
  /** identity of the file that was loaded, to notice a replacement */
  stamp: string;
}

export function fileStamp(path: string): string {
  const s = statSync(path);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

export function loadGeoDb(path: string, kind: GeoDbKind): LoadedGeoDb {
  let stamp: string;
  let reader: Reader<CityResponse | CountryResponse | AsnResponse>;
  try {
    stamp = fileStamp(path);
    reader = new Reader(readFileSync(path));
  } catch (err) {
    throw new TorlogsError('geo_db_invalid', `cannot load MaxMind ${kind} database ${path}: ${(err as Error).message}`, { cause: err, details: { path } });
  }
  const type = reader.metadata.databaseType;
  const ok = kind === 'asn' ? /ASN/i.test(type) : kind === 'city' ? /City/i.test(type) : /Country|City/i.test(type);
  if (!ok) throw new TorlogsError('geo_db_invalid', `${path} is a "${type}" database, not a ${kind} database`, { details: { path } });
  return { kind, path, reader, build: Math.floor(reader.metadata.buildEpoch.getTime() / 1000), databaseType: type, stamp };
}
