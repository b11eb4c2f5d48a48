/** Builds the per-line stages from the configuration: decoder, parser, client IP, geo, Tor → one LineProcessor. */
import type { Config } from '../config/load-config.js';
import { createClientIpResolver } from '../client-ip/client-ip-resolver.js';
import { TorlogsError } from '../core/errors.js';
import { createGeoEnricher, type ReloadableGeoEnricher } from '../geo/geo-enricher.js';
import { CidrError } from '../net/cidr.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { getParser } from '../parse/parser-registry.js';
import type { TorStatusLookup } from '../pipeline/stages.js';
import { createLineProcessor, newLineStats, type LineProcessor, type LineStats } from './line-processor.js';
import { createMessageDecoder } from './message-decode.js';
import type { MessageDecoder } from './message-decoder.js';

export interface LineStages {
  decoder: MessageDecoder;
  processor: LineProcessor;
  geo: ReloadableGeoEnricher | null;
  stats: LineStats;
  /** push counters accumulated since the last call into the metrics */
  flushStats(): void;
  close(): Promise<void>;
}

export async function buildLineStages(c: Config, logger: Logger, metrics: Metrics, tor: () => TorStatusLookup): Promise<LineStages> {
  const { parser, jsonLines } = getParser(c.logFormat);
  let clientIp;
  try {
    clientIp = createClientIpResolver({ trustedProxies: c.trustedProxies });
  } catch (err) {
    if (err instanceof CidrError) throw new TorlogsError('config_invalid', `invalid configuration:\n  TORLOGS_TRUSTED_PROXIES: ${err.message}`, { cause: err });
    throw err;
  }
  const log = logger.child({ component: 'geo' });
  const geo =
    c.geoCityDb || c.geoCountryDb || c.geoAsnDb
      ? createGeoEnricher({
          cityDbPath: c.geoCityDb,
          countryDbPath: c.geoCountryDb,
          asnDbPath: c.geoAsnDb,
          onReload: (e) => {
            metrics.inc('geo_reloads_total', { db: e.kind, result: e.ok ? 'ok' : 'failed' });
            if (e.ok) {
              metrics.set('geo_db_build_seconds', e.build, { db: e.kind });
              log.info({ db: e.kind, path: e.path, build: new Date(e.build * 1000).toISOString() }, 'geo database reloaded');
            } else log.error({ db: e.kind, path: e.path, err: e.error }, 'geo database replacement rejected; still serving the previous one');
          },
        })
      : null;
  if (geo) {
    const b = geo.builds();
    if (b.geo) metrics.set('geo_db_build_seconds', b.geo, { db: c.geoCityDb ? 'city' : 'country' });
    if (b.asn) metrics.set('geo_db_build_seconds', b.asn, { db: 'asn' });
  } else log.warn('no MaxMind database configured (TORLOGS_GEO_CITY_DB / TORLOGS_GEO_ASN_DB): geo columns stay empty');
  const stats = newLineStats();
  const processor = createLineProcessor({ parser, clientIp, geo, tor, maxLineBytes: c.maxLineBytes, stats });
  const names = ['unknown', 'exit', 'near', 'not_exit'] as const;
  let lookupErrors = 0;
  return {
    decoder: createMessageDecoder(jsonLines),
    processor,
    geo,
    stats,
    flushStats() {
      if (stats.geoHits) metrics.inc('geo_lookups_total', { result: 'hit' }, stats.geoHits);
      if (stats.geoMisses) metrics.inc('geo_lookups_total', { result: 'miss' }, stats.geoMisses);
      stats.tor.forEach((n, i) => n && metrics.inc('tor_lookups_total', { verdict: names[i]! }, n));
      const errors = geo?.stats.lookupErrors ?? 0;
      if (errors > lookupErrors) metrics.inc('geo_lookup_errors_total', {}, errors - lookupErrors);
      lookupErrors = errors;
      stats.geoHits = stats.geoMisses = 0;
      stats.tor = [0, 0, 0, 0];
    },
    async close() {
      await geo?.close();
    },
  };
}
