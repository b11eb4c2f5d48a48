/**
 * Bulk exit list: one IP per line, no header, no times (check.torproject.org/torbulkexitlist). The only time is the
 * snapshot time (file name or an explicit time); a snapshot vouches for [T - w, T + w] and is complete for it.
 * IPv6 may be written fully expanded: normalised.
 */
import { normalizeIp } from '../net/ip.js';
import type { TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';

export function parseBulkList(input: { text: string; source: string; sourceId: string; observedAtMs: number }, policy: TorPolicy): TorDocument {
  const t = input.observedAtMs;
  const from = t - policy.bulkHalfWindowMs;
  const to = t + policy.bulkHalfWindowMs;
  const observations: TorObservation[] = [];
  const rejects: TorReject[] = [];
  const seen = new Set<string>();
  const lines = input.text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const ip = normalizeIp(line);
    if (ip === null) {
      rejects.push({ line: n + 1, reason: 'not an IP address', text: line.slice(0, 200) });
      continue;
    }
    if (seen.has(ip)) continue;
    seen.add(ip);
    observations.push({ ip, kind: 'bulk_snapshot', fingerprint: '', observedAtMs: t, validFromMs: from, validToMs: to, publishedAtMs: 0 });
  }
  return { sourceId: input.sourceId, source: input.source, kind: 'bulk', downloadedAtMs: t, observations, coverage: [{ kind: 'bulk_snapshot', fromMs: from, toMs: to }], rejects };
}
