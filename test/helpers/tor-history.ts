/** Builds Tor history in memory from fixture documents (pure: no store), for verdict tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { normalizeIp } from '../../shared/net/ip.js';
import { mergeWindows, type Interval } from '../../shared/tor/intervals.js';
import { parseTorSource } from '../../shared/tor/parse-tor-source.js';
import type { TorDocument } from '../../shared/tor/tor-document.js';
import { TorIndex } from '../../shared/tor/tor-index.js';
import { DEFAULT_TOR_POLICY, type TorPolicy } from '../../shared/tor/tor-policy.js';
import { verdict, type HistorySlice, type VerdictResult } from '../../shared/tor/verdict.js';
import { fixture } from './fixtures.js';

export function loadFixtureDocs(dirs: string[] = ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'], policy: TorPolicy = DEFAULT_TOR_POLICY): TorDocument[] {
  const docs: TorDocument[] = [];
  for (const d of dirs) for (const f of readdirSync(fixture('tor', d)).sort()) docs.push(parseTorSource({ text: readFileSync(fixture('tor', d, f), 'utf8'), source: `${d}/${f}` }, policy));
  return docs;
}

export interface MemoryHistory {
  index: TorIndex;
  verdict(ip: string, atMs: number): VerdictResult;
}

export function memoryHistory(docs: TorDocument[], policy: TorPolicy = DEFAULT_TOR_POLICY): MemoryHistory {
  const byIp = new Map<string, HistorySlice['observations'][number][]>();
  const coverage: Array<{ fromMs: number; toMs: number }> = [];
  for (const d of docs) {
    for (const o of d.observations) {
      let l = byIp.get(o.ip);
      if (!l) byIp.set(o.ip, (l = []));
      // the store keeps whole seconds
      l.push({ kind: o.kind, source: d.source, fingerprint: o.fingerprint, observedAtMs: sec(o.observedAtMs), validFromMs: sec(o.validFromMs), validToMs: sec(o.validToMs) });
    }
    for (const c of d.coverage) if (c.kind === 'exit_scan' || c.kind === 'bulk_snapshot') coverage.push({ fromMs: sec(c.fromMs), toMs: sec(c.toMs) });
  }
  const exits = new Map<string, Interval[]>();
  for (const [ip, obs] of byIp) exits.set(ip, mergeWindows(obs.map((o) => ({ fromMs: o.validFromMs, toMs: o.validToMs }))));
  const index = new TorIndex({ exits, coverage, policy, version: 1 });
  const from = Math.min(...coverage.map((c) => c.fromMs));
  const to = Math.max(...coverage.map((c) => c.toMs));
  return {
    index,
    verdict: (ip, atMs) => {
      const key = normalizeIp(ip) ?? ip;
      return verdict(key, atMs, { observations: byIp.get(key) ?? [], coverage, historyFromMs: from, historyToMs: to }, policy);
    },
  };
}

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
