/**
 * The Tor history as stored, in the shape the TypeScript verdict needs (TorHistoryView): the observations of some IPs
 * and every coverage record. `verdict(view, ip, atMs, await readTorPolicy(store))` then gives the verdict with its
 * evidence for any of those IPs. Loading is one query for the observations of all IPs (a parameter array) and one for
 * the coverage (a few thousand rows for years of hourly lists), so a batch of 10,000 checks costs two queries.
 */
import { fromIPv6Column, normalizeIp, toIPv6Column } from '../net/ip.js';
import type { IpFamily } from '../net/ip.js';
import type { ClickHouseStore } from '../store/store.js';
import type { ObservationKind } from '../tor/tor-document.js';
import type { CoverageRecord, ObservationRecord, TorHistoryView } from '../tor/tor-history.js';
import { coverageIntervals } from '../tor/tor-history.js';
import type { Interval } from '../tor/intervals.js';

const s2ms = (s: string | undefined) => Number(s ?? 0) * 1000;

/** every coverage record (family 0 in the store = both families → no family) */
export async function readCoverage(store: ClickHouseStore): Promise<CoverageRecord[]> {
  const text = await store.queryText(
    'SELECT toUnixTimestamp(covered_from), toUnixTimestamp(covered_to), kind, family, source FROM ${DB}.tor_coverage ORDER BY covered_from, covered_to',
    'TabSeparated',
  );
  const out: CoverageRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [f, t, kind, family, source] = line.split('\t');
    const rec: CoverageRecord = { fromMs: s2ms(f), toMs: s2ms(t), kind: kind as ObservationKind, source: source ?? '' };
    if (family === '4' || family === '6') rec.family = Number(family) as IpFamily;
    out.push(rec);
  }
  return out;
}

/** observations of the given IPs (any form; invalid ones are ignored), by canonical IP */
export async function readObservations(store: ClickHouseStore, ips: readonly string[]): Promise<Map<string, ObservationRecord[]>> {
  const canonical = [...new Set(ips.map((ip) => normalizeIp(ip)).filter((ip): ip is string => ip !== null))];
  const byIp = new Map<string, ObservationRecord[]>();
  for (let i = 0; i < canonical.length; i += 20_000) {
    const chunk = canonical.slice(i, i + 20_000).map(toIPv6Column);
    const text = await store.queryText(
      `SELECT toString(ip), kind, source, source_id, fingerprint, toUnixTimestamp(observed_at), toUnixTimestamp(valid_from),
              toUnixTimestamp(valid_to), toUnixTimestamp(published_at), toUnixTimestamp(last_status), bad_exit
       FROM \${DB}.tor_observations WHERE ip IN {ips:Array(IPv6)}
       ORDER BY ip, valid_from, valid_to, fingerprint`,
      'TabSeparated',
      { params: { ips: chunk } },
    );
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const [ip, kind, source, sourceId, fingerprint, observed, from, to, published, lastStatus, badExit] = line.split('\t');
      const key = fromIPv6Column(ip!);
      let list = byIp.get(key);
      if (!list) byIp.set(key, (list = []));
      const rec: ObservationRecord = {
        kind: kind as ObservationKind, source: unescapeTsv(source!), sourceId, fingerprint: fingerprint!, observedAtMs: s2ms(observed),
        validFromMs: s2ms(from), validToMs: s2ms(to), publishedAtMs: s2ms(published), lastStatusMs: s2ms(lastStatus),
      };
      if (badExit === '1') rec.badExit = true;
      list.push(rec);
    }
  }
  return byIp;
}

function unescapeTsv(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c)) : s;
}

/** the history of these IPs (plus all coverage) as a TorHistoryView for verdict() */
export async function loadHistoryView(store: ClickHouseStore, ips: readonly string[]): Promise<TorHistoryView> {
  const [byIp, coverage] = await Promise.all([readObservations(store, ips), readCoverage(store)]);
  const merged = new Map<IpFamily, Interval[]>();
  return {
    observationsOf: (ip: string) => byIp.get(normalizeIp(ip) ?? ip) ?? [],
    coverage,
    coverageIntervals(family: IpFamily) {
      let m = merged.get(family);
      if (!m) merged.set(family, (m = coverageIntervals(coverage, family)));
      return m;
    },
  };
}
