/**
 * Geo and ASN of a client IP from MaxMind City (or Country) and ASN databases, with a bounded per-IP memo in front
 * of the readers. `lookup` never throws and never blocks: a missing record is empty values.
 *
 * Hot reload. Replace a database the right way (write the new file next to it, then rename it over: what
 * geoipupdate does). The change is noticed by fs.watch on the directory and a periodic stat fallback (device,
 * inode, size, mtime), debounced; the file must stay unchanged for `settleMs` before it is read. The new file is
 * read whole, validated and probed (mmdb-database.ts) FIRST; only then are reader and memo swapped, in one
 * synchronous step, so no lookup fails or mixes old and new answers. A bad new file keeps the old database
 * serving: reported once per file version through onReload({ ok: false }) and the reloadFailures counter.
 * Copying over the live file in place (the wrong way) cannot harm lookups, because readers hold their bytes in
 * memory; it is picked up like a rename once the copy has finished (a half-written file fails validation and
 * is retried when it changes again).
 */
import { isIP } from 'node:net';
import type { AsnResponse, CityResponse } from 'maxmind';
import { TorlogsError, errorMessage } from '../core/errors.js';
import type { GeoEnricher, HealthReport } from '../pipeline/stages.js';
import { watchDbFiles, type DbFileWatch } from './db-file-watcher.js';
import { createDbReloader, type GeoLog, type GeoReloadEvent } from './db-reloader.js';
import { emptyGeoInfo, toGeoInfo, type GeoInfo } from './geo-info.js';
import { createBoundedMemo, type BoundedMemo, type MemoKind } from '../core/bounded-memo.js';
import { loadMmdbSync, type GeoDbKind, type MmdbDatabase } from './mmdb-database.js';

export type { GeoInfo } from './geo-info.js';
export type { GeoDbKind } from './mmdb-database.js';
export type { GeoReloadEvent, GeoLog } from './db-reloader.js';

export interface GeoEnricherOptions {
  cityDbPath?: string;
  /** used when no City database is given (not both) */
  countryDbPath?: string;
  asnDbPath?: string;
  /** per-IP memo entries (default 100,000; 0 turns the memo off) */
  memoSize?: number;
  /** memo strategy (default two-generation, the fastest in bench/geo.bench.ts) */
  memo?: MemoKind;
  /** notice replaced files (default true); checkForUpdates() works either way */
  watch?: boolean;
  /** periodic stat check, ms (default 2000) */
  pollMs?: number;
  /** a changed file must stay unchanged this long before it is read, ms (default 250) */
  settleMs?: number;
  onReload?: (e: GeoReloadEvent) => void;
  /** things worth a log line that are not reloads (file gone, directory not watchable) */
  log?: GeoLog;
}

export interface GeoStats {
  lookups: number;
  memoHits: number;
  /** answers with / without a country (counted only while a City/Country database is loaded) */
  geoHits: number;
  geoMisses: number;
  /** answers with / without an AS number (only while an ASN database is loaded) */
  asnHits: number;
  asnMisses: number;
  /** reader errors answered with empty values (a database corrupt in a way probing did not catch) */
  lookupErrors: number;
  reloads: number;
  reloadFailures: number;
}

export interface GeoDatabaseStatus {
  kind: GeoDbKind;
  path: string;
  databaseType: string;
  build: number;
  loadedAtMs: number;
}

export interface ReloadableGeoEnricher extends GeoEnricher {
  lookup(ipCanonical: string): GeoInfo;
  readonly stats: Readonly<GeoStats>;
  /** build epochs (s) of the loaded databases, 0 for none */
  builds(): { geo: number; asn: number };
  databases(): GeoDatabaseStatus[];
  /** look at the files now (what the watcher does); resolves when any reload is done */
  checkForUpdates(): Promise<void>;
  healthcheck(): HealthReport;
  close(): void;
}

interface State {
  geo: MmdbDatabase | null;
  asn: MmdbDatabase | null;
  memo: BoundedMemo<string, GeoInfo>;
  empty: GeoInfo;
}

const RECENT = 64;

/** Loads the configured databases now (throws TorlogsError geo_db_invalid / config_invalid) and serves lookups. */
export function createGeoEnricher(o: GeoEnricherOptions): ReloadableGeoEnricher {
  if (o.cityDbPath && o.countryDbPath) throw new TorlogsError('config_invalid', 'give either a City or a Country database, not both');
  const memoSize = o.memoSize ?? 100_000;
  const memoKind = o.memo ?? 'two-generation';
  const settleMs = o.settleMs ?? 250;
  const geoPath = o.cityDbPath || o.countryDbPath;
  const geo = geoPath ? loadMmdbSync(geoPath, o.cityDbPath ? 'city' : 'country') : null;
  const asn = o.asnDbPath ? loadMmdbSync(o.asnDbPath, 'asn') : null;
  const files = [geo, asn].filter((d): d is MmdbDatabase => d !== null).map((d) => ({ kind: d.kind, path: d.path }));
  const stateOf = (g: MmdbDatabase | null, a: MmdbDatabase | null): State => ({
    geo: g, asn: a, memo: createBoundedMemo<string, GeoInfo>(memoKind, memoSize), empty: emptyGeoInfo(g?.build ?? 0, a?.build ?? 0),
  });
  let state = stateOf(geo, asn);
  const stats: GeoStats = { lookups: 0, memoHits: 0, geoHits: 0, geoMisses: 0, asnHits: 0, asnMisses: 0, lookupErrors: 0, reloads: 0, reloadFailures: 0 };
  const recent: string[] = [];
  let recentAt = 0;

  function read<T>(db: MmdbDatabase, ip: string): T | null {
    if (db.ipVersion === 4 && ip.includes(':')) return null;
    try {
      return db.reader.get(ip) as T | null;
    } catch {
      stats.lookupErrors++;
      return null;
    }
  }

  function compute(s: State, ip: string): GeoInfo {
    if (isIP(ip) === 0) return s.empty;
    recent[recentAt++ % RECENT] = ip;
    const place = s.geo ? read<CityResponse>(s.geo, ip) : null;
    const as = s.asn ? read<AsnResponse>(s.asn, ip) : null;
    if (place === null && as === null) return s.empty;
    return toGeoInfo(place, as, s.empty.dbBuild, s.empty.asnDbBuild);
  }

  const reloader = createDbReloader({
    files,
    settleMs,
    current: (kind) => (kind === 'asn' ? state.asn : state.geo),
    probes: () => recent,
    // the swap: one assignment, new reader and new memo together
    swap: (next) => {
      state = next.kind === 'asn' ? stateOf(state.geo, next) : stateOf(next, state.asn);
      stats.reloads++;
    },
    onFailure: () => stats.reloadFailures++,
    onReload: o.onReload,
    log: o.log,
  });
  const checkForUpdates = () => reloader.checkForUpdates();

  const watcher: DbFileWatch | null =
    o.watch !== false && files.length > 0
      ? watchDbFiles({
          paths: files.map((f) => f.path),
          pollMs: o.pollMs ?? 2000,
          debounceMs: settleMs,
          onSignal: () => void checkForUpdates(),
          onWatchError: (dir, err) => o.log?.('warn', 'cannot watch the geo database directory; relying on the periodic check', { dir, err: errorMessage(err) }),
        })
      : null;

  return {
    stats,
    lookup(ip: string): GeoInfo {
      stats.lookups++;
      const s = state;
      let v = s.memo.get(ip);
      if (v === undefined) {
        v = compute(s, ip);
        s.memo.set(ip, v);
      } else stats.memoHits++;
      if (s.geo !== null) {
        if (v.country !== '') stats.geoHits++;
        else stats.geoMisses++;
      }
      if (s.asn !== null) {
        if (v.asn !== 0) stats.asnHits++;
        else stats.asnMisses++;
      }
      return v;
    },
    builds: () => ({ geo: state.geo?.build ?? 0, asn: state.asn?.build ?? 0 }),
    databases: () =>
      [state.geo, state.asn]
        .filter((d): d is MmdbDatabase => d !== null)
        .map((d) => ({ kind: d.kind, path: d.path, databaseType: d.databaseType, build: d.build, loadedAtMs: reloader.loadedAtMs(d.kind) })),
    checkForUpdates,
    healthcheck(): HealthReport {
      // stays ok: the previous database keeps serving, and a failing check would get the worker restarted into the bad file
      const notes = reloader.notes();
      return notes.length > 0 ? { ok: true, detail: notes.join('; ') } : { ok: true };
    },
    close() {
      reloader.close();
      watcher?.close();
    },
  };
}
