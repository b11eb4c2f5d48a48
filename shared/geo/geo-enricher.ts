/**
 * Geo and ASN for a client IP from MaxMind City (or Country) + ASN databases, with a per-IP memo in front of the
 * readers. Hot reload: a replaced file (the right way is write + atomic rename) is noticed by fs.watch on its
 * directory and by a periodic stat check; the new file is loaded and validated first, then reader and memo are
 * swapped in one step. A bad new file keeps the old reader and is reported. A missing record is an empty value.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AsnResponse, CityResponse } from 'maxmind';
import type { GeoEnricher, GeoInfo } from '../pipeline/stages.js';
import { fileStamp, loadGeoDb, type GeoDbKind, type LoadedGeoDb } from './geo-database.js';

export interface GeoEnricherOptions {
  cityDbPath?: string;
  countryDbPath?: string;
  asnDbPath?: string;
  /** memo entries before the memo is cleared (default 100,000) */
  memoSize?: number;
  /** watch files for replacement (default true) */
  watch?: boolean;
  /** stat check interval in ms (default 2000) */
  pollMs?: number;
  onReload?: (e: { kind: GeoDbKind; path: string; build: number; ok: boolean; error?: string }) => void;
}

export interface GeoStats {
  lookups: number;
  memoHits: number;
  reloads: number;
  reloadFailures: number;
}

export interface ReloadableGeoEnricher extends GeoEnricher {
  stats: GeoStats;
  builds(): { geo: number; asn: number };
  /** check the files now (what the watcher does) */
  checkForUpdates(): void;
}

const EMPTY: GeoInfo = { country: '', city: '', geonameId: 0, asn: 0, asOrg: '', dbBuild: 0 };

export function createGeoEnricher(o: GeoEnricherOptions): ReloadableGeoEnricher {
  const geoPath = o.cityDbPath ?? o.countryDbPath;
  const geoKind: GeoDbKind = o.cityDbPath ? 'city' : 'country';
  let geo: LoadedGeoDb | null = geoPath ? loadGeoDb(geoPath, geoKind) : null;
  let asn: LoadedGeoDb | null = o.asnDbPath ? loadGeoDb(o.asnDbPath, 'asn') : null;
  const memoSize = o.memoSize ?? 100_000;
  let memo = new Map<string, GeoInfo>();
  const stats: GeoStats = { lookups: 0, memoHits: 0, reloads: 0, reloadFailures: 0 };
  let lastError = '';

  function compute(ip: string): GeoInfo {
    let country = '', city = '', geonameId = 0, asnNum = 0, asOrg = '';
    if (geo) {
      const r = geo.reader.get(ip) as CityResponse | null;
      if (r) {
        country = r.country?.iso_code ?? r.registered_country?.iso_code ?? '';
        city = r.city?.names?.en ?? '';
        geonameId = r.city?.geoname_id ?? r.country?.geoname_id ?? 0;
      }
    }
    if (asn) {
      const a = asn.reader.get(ip) as AsnResponse | null;
      if (a) {
        asnNum = a.autonomous_system_number ?? 0;
        asOrg = a.autonomous_system_organization ?? '';
      }
    }
    return country === '' && asnNum === 0 && city === '' ? { ...EMPTY, dbBuild: geo?.build ?? 0 } : { country, city, geonameId, asn: asnNum, asOrg, dbBuild: geo?.build ?? 0 };
  }

  function reload(cur: LoadedGeoDb): LoadedGeoDb {
    let stamp: string;
    try {
      stamp = fileStamp(cur.path);
    } catch {
      return cur; // mid-rename or deleted: keep serving the loaded copy
    }
    if (stamp === cur.stamp) return cur;
    try {
      const next = loadGeoDb(cur.path, cur.kind);
      stats.reloads++;
      lastError = '';
      o.onReload?.({ kind: cur.kind, path: cur.path, build: next.build, ok: true });
      return next;
    } catch (err) {
      stats.reloadFailures++;
      lastError = (err as Error).message;
      o.onReload?.({ kind: cur.kind, path: cur.path, build: cur.build, ok: false, error: lastError });
      return { ...cur, stamp }; // do not retry the same bad file until it changes again
    }
  }

  function checkForUpdates(): void {
    const g = geo ? reload(geo) : null;
    const a = asn ? reload(asn) : null;
    const swapped = g?.reader !== geo?.reader || a?.reader !== asn?.reader;
    geo = g;
    asn = a;
    if (swapped) memo = new Map(); // swapped together with the readers: no lookup mixes old and new
  }

  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;
  let debounce: NodeJS.Timeout | null = null;
  if (o.watch !== false && (geo || asn)) {
    const files = [geo?.path, asn?.path].filter((p): p is string => Boolean(p));
    for (const dir of new Set(files.map((p) => dirname(p)))) {
      try {
        const w = watch(dir, (_event, name) => {
          if (name && files.some((f) => basename(f) === String(name))) {
            if (debounce) clearTimeout(debounce);
            debounce = setTimeout(checkForUpdates, 200);
          }
        });
        w.unref();
        watchers.push(w);
      } catch {
        // directory not watchable (some network filesystems): the periodic stat check covers it
      }
    }
    timer = setInterval(checkForUpdates, o.pollMs ?? 2000);
    timer.unref();
  }

  return {
    stats,
    lookup(ip: string): GeoInfo {
      stats.lookups++;
      let v = memo.get(ip);
      if (v !== undefined) {
        stats.memoHits++;
        return v;
      }
      v = compute(ip);
      if (memo.size >= memoSize) memo = new Map();
      memo.set(ip, v);
      return v;
    },
    builds: () => ({ geo: geo?.build ?? 0, asn: asn?.build ?? 0 }),
    checkForUpdates,
    healthcheck: () => (lastError ? { ok: true, detail: `last reload failed, serving the previous database: ${lastError}` } : { ok: true }),
    close() {
      for (const w of watchers) w.close();
      if (timer) clearInterval(timer);
      if (debounce) clearTimeout(debounce);
    },
  };
}
