/**
 * One MaxMind database, read whole into memory and validated before anyone uses it.
 *
 * Held as a Buffer (maxmind's Reader over bytes, not over the file), so replacing the file, or copying a new one
 * over it in place (the wrong way), can never change what a live reader sees; the replacement is noticed and
 * loaded as a new database once the file is complete (geo-enricher.ts).
 * Validation: MaxMind DB format 2.x metadata, a search tree that fits the file with its 16-byte zero separator,
 * a database type that matches the configured role (a Country file where the City one belongs is refused), and
 * probe lookups (fixed addresses and recent client IPs) that decode without error to records of the right shape.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { Reader, type Response } from 'maxmind';
import { TorlogsError, errorMessage } from '../core/errors.js';

export type GeoDbKind = 'city' | 'country' | 'asn';

export interface MmdbDatabase {
  kind: GeoDbKind;
  path: string;
  reader: Reader<Response>;
  /** build epoch, seconds */
  build: number;
  databaseType: string;
  /** 4: IPv4-only tree (IPv6 lookups answer nothing), 6: both */
  ipVersion: number;
  /** identity of the file the bytes came from (device, inode, size, mtime) */
  stamp: string;
}

const TYPE_RULES: Record<GeoDbKind, { test: RegExp; want: string }> = {
  city: { test: /City|Enterprise/i, want: 'a City database (GeoLite2-City, GeoIP2-City, GeoIP2-Enterprise)' },
  country: { test: /Country|City|Enterprise/i, want: 'a Country or City database' },
  asn: { test: /ASN|ISP/i, want: 'an ASN database (GeoLite2-ASN, GeoIP2-ISP)' },
};

/** Addresses every real database can answer without error (records or not). */
const FIXED_PROBES = ['1.1.1.1', '8.8.8.8', '81.2.69.142', '89.160.20.112', '203.0.113.1', '255.255.255.255', '0.0.0.0', '2001:4860:4860::8888', '2a02:cf40::1', '::1'];

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // \xab\xcd\xef MaxMind.com

export function fileStamp(s: Stats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
}

const invalid = (path: string, message: string, cause?: unknown, retriable = false) =>
  new TorlogsError('geo_db_invalid', `MaxMind database ${path}: ${message}`, { cause, retriable, details: { path } });

/** Startup: read and validate synchronously (throws TorlogsError geo_db_invalid). */
export function loadMmdbSync(path: string, kind: GeoDbKind): MmdbDatabase {
  let bytes: Buffer;
  let stamp: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const before = fileStamp(fstatSync(fd));
      bytes = readFileSync(fd);
      stamp = fileStamp(fstatSync(fd));
      if (stamp !== before) throw invalid(path, 'the file changed while it was read (is it being copied?)', undefined, true);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof TorlogsError) throw err;
    throw invalid(path, `cannot read it: ${errorMessage(err)}`, err);
  }
  return openMmdb(bytes, path, kind, stamp, []);
}

/** Reload: read asynchronously, then validate, probing with `probeIps` too. Throws TorlogsError geo_db_invalid. */
export async function loadMmdb(path: string, kind: GeoDbKind, probeIps: readonly string[]): Promise<MmdbDatabase> {
  let bytes: Buffer;
  let stamp: string;
  try {
    const fh = await open(path, 'r');
    try {
      const before = fileStamp(await fh.stat());
      bytes = await fh.readFile();
      stamp = fileStamp(await fh.stat());
      if (stamp !== before) throw invalid(path, 'the file changed while it was read (is it being copied?)', undefined, true);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof TorlogsError) throw err;
    throw invalid(path, `cannot read it: ${errorMessage(err)}`, err);
  }
  return openMmdb(bytes, path, kind, stamp, probeIps);
}

/** A validated database over `bytes`; throws TorlogsError geo_db_invalid saying what is wrong. */
export function openMmdb(bytes: Buffer, path: string, kind: GeoDbKind, stamp: string, probeIps: readonly string[]): MmdbDatabase {
  // the metadata marker sits near the end: without it the file is not an .mmdb or was cut short
  if (bytes.lastIndexOf(METADATA_MARKER) < Math.max(0, bytes.length - 128 * 1024)) {
    throw invalid(path, `no MaxMind DB metadata marker in its ${bytes.length} bytes: not an .mmdb file, or cut short`);
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(bytes);
  } catch (err) {
    throw invalid(path, `not a MaxMind DB file (${errorMessage(err)})`, err);
  }
  const m = reader.metadata;
  if (m.binaryFormatMajorVersion !== 2) throw invalid(path, `unsupported MaxMind DB format version ${m.binaryFormatMajorVersion}`);
  if (![24, 28, 32].includes(m.recordSize) || (m.ipVersion !== 4 && m.ipVersion !== 6) || !(m.nodeCount > 0)) {
    throw invalid(path, `corrupt metadata (record size ${m.recordSize}, IP version ${m.ipVersion}, ${m.nodeCount} nodes)`);
  }
  const dataStart = m.searchTreeSize + 16;
  if (m.searchTreeSize !== (m.nodeCount * m.recordSize) / 4 || dataStart > bytes.length) throw invalid(path, 'truncated or corrupt: the search tree does not fit the file');
  for (let i = m.searchTreeSize; i < dataStart; i++) if (bytes[i] !== 0) throw invalid(path, 'corrupt: no data section separator after the search tree');
  const rule = TYPE_RULES[kind];
  if (!rule.test.test(m.databaseType)) throw invalid(path, `is a "${m.databaseType}" database, configured as ${kind}: expected ${rule.want}`);
  const build = Math.floor(m.buildEpoch.getTime() / 1000);
  if (!(build > 0)) throw invalid(path, 'has no build time in its metadata');
  for (const ip of [...FIXED_PROBES, ...probeIps]) {
    if (m.ipVersion === 4 && ip.includes(':')) continue;
    let rec: unknown;
    try {
      rec = reader.get(ip);
    } catch (err) {
      throw invalid(path, `corrupt: looking up ${ip} failed (${errorMessage(err)})`, err);
    }
    const bad = recordProblem(kind, rec);
    if (bad !== '') throw invalid(path, `corrupt: the record for ${ip} ${bad}`);
  }
  return { kind, path, reader, build, databaseType: m.databaseType, ipVersion: m.ipVersion, stamp };
}

function recordProblem(kind: GeoDbKind, rec: unknown): string {
  if (rec === null) return '';
  if (typeof rec !== 'object' || Array.isArray(rec)) return 'is not a map';
  const r = rec as Record<string, unknown>;
  if (kind === 'asn') {
    return r.autonomous_system_number === undefined || typeof r.autonomous_system_number === 'number' ? '' : 'has a non-numeric autonomous_system_number';
  }
  const country = r.country as Record<string, unknown> | undefined;
  if (country !== undefined && (typeof country !== 'object' || (country.iso_code !== undefined && typeof country.iso_code !== 'string'))) return 'has a malformed country';
  return '';
}
