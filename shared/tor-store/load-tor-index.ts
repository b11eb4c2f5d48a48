/** Builds the in-memory TorIndex from the store: exit intervals per kind (view tor_exit_intervals) and coverage. */
import type { ClickHouseStore } from '../store/store.js';
import { fromIPv6Column } from '../net/ip.js';
import type { Interval } from '../tor/intervals.js';
import { TorIndex } from '../tor/tor-index.js';
import { historyVersion } from './tor-history-store.js';
import { readTorPolicy } from './tor-policy-store.js';
import { readCoverage } from './store-history-view.js';

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
  const coverage = await readCoverage(store);
  return new TorIndex({ exits, coverage, policy, version });
}
