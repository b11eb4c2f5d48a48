/**
 * Bulk exit lists: one IP per line, no header, no times (check.torproject.org/torbulkexitlist and the archives of
 * third-party lists; `#` comment lines of the legacy TorBulkExitList.py are skipped). The only time is the snapshot
 * time (file name or an explicit time). Each listed IP is a point observation at S; the snapshot covers
 * [S - bulkHalfWindow, S + bulkHalfWindow] for the address families it lists. IPv6 written fully expanded
 * (`2001:0470:0001:...`) is normalised; the same IP twice in one snapshot counts once.
 */
import { ipFamily, normalizeIp, type IpFamily } from '../net/ip.js';
import type { ParserInput, TorCoverage, TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';

export interface BulkListInput extends ParserInput {
  /** the snapshot time (when the list was fetched) */
  observedAtMs: number;
}

export function parseBulkList(input: BulkListInput, policy: TorPolicy): TorDocument {
  const s = input.observedAtMs;
  const observations: TorObservation[] = [];
  const rejects: TorReject[] = [];
  const seen = new Set<string>();
  const families = new Set<IpFamily>();
  const lines = input.text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const ip = normalizeIp(line);
    if (ip === null) {
      rejects.push({ line: n + 1, reason: 'not an IP address', text: line.slice(0, 200) });
      continue;
    }
    if (seen.has(ip)) continue;
    seen.add(ip);
    families.add(ipFamily(ip));
    observations.push({ ip, kind: 'bulk_snapshot', fingerprint: '', observedAtMs: s, validFromMs: s, validToMs: s, publishedAtMs: 0, lastStatusMs: 0, downloadedAtMs: s });
  }
  const coverage: TorCoverage[] = [...families].sort().map((family) => ({ kind: 'bulk_snapshot', family, fromMs: s - policy.bulkHalfWindowMs, toMs: s + policy.bulkHalfWindowMs }));
  return { sourceId: input.sourceId, source: input.source, kind: 'bulk', downloadedAtMs: s, observations, coverage, rejects };
}
