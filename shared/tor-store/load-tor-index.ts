/** Builds the in-memory TorIndex from the store: merged exit intervals (view tor_exit_intervals) and coverage. */
import type { ClickHouseStore } from '../store/store.js';
import { fromIPv6Column } from '../net/ip.js';
import type { Interval } from '../tor/intervals.js';
import { TorIndex } from '../tor/tor-index.js';
import { historyVersion } from './tor-history-store.js';
import { readTorPolicy } from './tor-policy-store.js';

export async function loadTorIndex(store: ClickHouseStore): Promise<TorIndex> {
  const version = await historyVersion(store);
  const policy = await readTorPolicy(store);
  const text = await store.queryText('SELECT toString(ip), toUnixTimestamp(valid_from), toUnixTimestamp(valid_to), observations FROM ${DB}.tor_exit_intervals ORDER BY ip, valid_from', 'TabSeparated');
  const exits = new Map<string, Interval[]>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [ip, f, t, n] = line.split('\t');
    const key = fromIPv6Column(ip!);
    let list = exits.get(key);
    if (!list) exits.set(key, (list = []));
    list.push({ fromMs: Number(f) * 1000, toMs: Number(t) * 1000, count: Number(n) });
  }
  const cov = await store.queryText("SELECT toUnixTimestamp(covered_from), toUnixTimestamp(covered_to) FROM ${DB}.tor_coverage WHERE kind IN ('exit_scan', 'bulk_snapshot')", 'TabSeparated');
  const coverage = cov
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [f, t] = l.split('\t');
      return { fromMs: Number(f) * 1000, toMs: Number(t) * 1000 };
    });
  return new TorIndex({ exits, coverage, policy, version });
}
