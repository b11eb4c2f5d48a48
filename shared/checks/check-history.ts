/**
 * The Tor history a batch of checks needs, loaded lean: the observations of the batch's IPs with only the fields
 * verdict() reads (no source id, publish/last-status times), IPs normalised once per IP (rows come ordered by IP)
 * and document names shared, plus every coverage record (readCoverage). 10,000 IPs of the real bulk snapshots are
 * ~200,000 rows: this is the part of a batch that grows with the history.
 */
import { fromIPv6Column, normalizeIp, toIPv6Column, type IpFamily } from '../net/ip.js';
import type { ClickHouseStore } from '../store/store.js';
import type { Interval } from '../tor/intervals.js';
import type { ObservationKind } from '../tor/tor-document.js';
import { coverageIntervals, type ObservationRecord, type TorHistoryView } from '../tor/tor-history.js';
import { readCoverage } from '../tor-store/store-history-view.js';

const SQL = `SELECT toString(ip), kind, source, fingerprint, toUnixTimestamp(observed_at), toUnixTimestamp(valid_from), toUnixTimestamp(valid_to), bad_exit
FROM \${DB}.tor_observations WHERE ip IN {ips:Array(IPv6)}
ORDER BY ip, valid_from, valid_to, fingerprint`;

export async function readCheckObservations(store: ClickHouseStore, canonicalIps: readonly string[]): Promise<Map<string, ObservationRecord[]>> {
  const byIp = new Map<string, ObservationRecord[]>();
  const names = new Map<string, string>();
  for (let i = 0; i < canonicalIps.length; i += 20_000) {
    const text = await store.queryText(SQL, 'TabSeparated', { params: { ips: canonicalIps.slice(i, i + 20_000).map(toIPv6Column) }, readonly: true });
    let lastRaw = '';
    let list: ObservationRecord[] = [];
    let start = 0;
    while (start < text.length) {
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
      if (source === undefined) names.set(f[2]!, (source = f[2]!.includes('\\') ? f[2]!.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c)) : f[2]!));
      const rec: ObservationRecord = {
        kind: f[1] as ObservationKind, source, fingerprint: f[3]!, observedAtMs: Number(f[4]) * 1000, validFromMs: Number(f[5]) * 1000, validToMs: Number(f[6]) * 1000,
      };
      if (f[7] === '1') rec.badExit = true;
      list.push(rec);
    }
  }
  return byIp;
}

/** the history of these canonical IPs (plus all coverage) for verdict() */
export async function loadCheckHistory(store: ClickHouseStore, canonicalIps: readonly string[]): Promise<TorHistoryView> {
  const [byIp, coverage] = await Promise.all([readCheckObservations(store, canonicalIps), readCoverage(store)]);
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
