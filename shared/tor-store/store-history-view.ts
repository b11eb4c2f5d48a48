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

const OBS_SQL = `SELECT toString(ip), kind, source, fingerprint, toUnixTimestamp(observed_at), toUnixTimestamp(valid_from), toUnixTimestamp(valid_to), bad_exit
FROM \${DB}.tor_observations WHERE ip IN {ips:Array(IPv6)}
ORDER BY ip, valid_from, valid_to, fingerprint`;

/**
 * Observations of the given IPs (any form; invalid ones are ignored), by canonical IP, with the fields verdict() and
 * its evidence read. Lean on purpose (10,000 IPs of the bulk snapshots are ~200,000 rows): rows come ordered by IP,
 * so each IP is converted once, and document names are shared.
 */
export async function readObservations(store: ClickHouseStore, ips: readonly string[]): Promise<Map<string, ObservationRecord[]>> {
  const canonical = [...new Set(ips.map((ip) => normalizeIp(ip)).filter((ip): ip is string => ip !== null))];
  const byIp = new Map<string, ObservationRecord[]>();
  const names = new Map<string, string>();
  for (let i = 0; i < canonical.length; i += 20_000) {
    const text = await store.queryText(OBS_SQL, 'TabSeparated', { params: { ips: canonical.slice(i, i + 20_000).map(toIPv6Column) }, readonly: true });
    let lastRaw = '';
    let list: ObservationRecord[] = [];
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const f = text.slice(start, end).split('\t');
      start = end + 1;
      if (f.length < 8) continue;
      if (f[0] !== lastRaw) {
        lastRaw = f[0]!;
        const key = fromIPv6Column(lastRaw);
        list = byIp.get(key) ?? [];
        byIp.set(key, list);
      }
      let source = names.get(f[2]!);
      if (source === undefined) names.set(f[2]!, (source = unescapeTsv(f[2]!)));
      const rec: ObservationRecord = {
        kind: f[1] as ObservationKind, source, fingerprint: f[3]!, observedAtMs: s2ms(f[4]), validFromMs: s2ms(f[5]), validToMs: s2ms(f[6]),
      };
      if (f[7] === '1') rec.badExit = true;
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
    observationsOf: (ip: string) => byIp.get(ip) ?? byIp.get(normalizeIp(ip) ?? ip) ?? [],
    coverage,
    coverageIntervals(family: IpFamily) {
      let m = merged.get(family);
      if (!m) merged.set(family, (m = coverageIntervals(coverage, family)));
      return m;
    },
  };
}
