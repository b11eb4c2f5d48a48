/**
 * TorDNSEL exit lists: the live `exit-addresses` document and CollecTor's archived copies (`@type tordnsel 1.0`,
 * `Downloaded <time>`). Entries: ExitNode <fp> / Published / LastStatus (once each) / ExitAddress <ip> <scan> (1+),
 * as in metrics-lib's ExitListEntryImpl. One observation per ExitAddress, vouching for
 * [scan, min(LastStatus, scan + scanReach)] (ExoneraTor: a scan counts for consensuses within 24 h after it).
 * Coverage: the list downloaded at D holds every exit active in [D - exitListCoverage, D] (docs/tor-verdicts.md),
 * for the address families it lists. Bad lines are rejected with their number; the rest is kept.
 */
import { ipFamily, normalizeIp, type IpFamily } from '../net/ip.js';
import type { ParserInput, TorCoverage, TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';
import { parseTorTime } from './tor-time.js';

export interface TorDnselInput extends ParserInput {
  /** download time when the document has no `Downloaded` line (live list: the fetch time; archive: file name) */
  downloadedAtMs?: number;
}

interface Entry {
  line: number;
  fp: string;
  published: number;
  lastStatus: number;
  seen: Set<string>;
  scans: Array<{ ip: string; scan: number }>;
}

const FP = /^[0-9A-Fa-f]{40}$/;

export function parseTorDnsel(input: TorDnselInput, policy: TorPolicy): TorDocument {
  const rejects: TorReject[] = [];
  const entries: Entry[] = [];
  let downloaded = NaN;
  let e: Entry | null = null;
  const lines = input.text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '' || line.startsWith('@')) continue;
    const bad = (reason: string) => rejects.push({ line: n + 1, reason, text: line.slice(0, 200) });
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    if (key === 'Downloaded') {
      const t = parseTorTime(rest);
      if (Number.isNaN(t)) bad('Downloaded time is not YYYY-MM-DD HH:MM:SS');
      else downloaded = t;
    } else if (key === 'ExitNode') {
      if (!FP.test(rest)) {
        bad('ExitNode fingerprint is not 40 hex characters');
        e = null;
      } else entries.push((e = { line: n + 1, fp: rest.toUpperCase(), published: NaN, lastStatus: NaN, seen: new Set(), scans: [] }));
    } else if (key === 'Published' || key === 'LastStatus') {
      const t = parseTorTime(rest);
      const field = key === 'Published' ? 'published' : 'lastStatus';
      if (!e) bad(`${key} outside an ExitNode entry`);
      else if (Number.isNaN(t)) bad(`${key} time is not YYYY-MM-DD HH:MM:SS`);
      else if (!Number.isNaN(e[field])) bad(`second ${key} line in the entry of ${e.fp}`);
      else e[field] = t;
    } else if (key === 'ExitAddress') {
      const sp2 = rest.indexOf(' ');
      const ip = normalizeIp(sp2 < 0 ? rest : rest.slice(0, sp2));
      const scan = sp2 < 0 ? NaN : parseTorTime(rest.slice(sp2 + 1));
      if (!e) bad('ExitAddress outside an ExitNode entry');
      else if (ip === null) bad('ExitAddress is not an IP address');
      else if (Number.isNaN(scan)) bad('ExitAddress scan time is not YYYY-MM-DD HH:MM:SS');
      else if (!e.seen.has(`${ip} ${scan}`)) {
        e.seen.add(`${ip} ${scan}`);
        e.scans.push({ ip, scan });
      }
    } else bad(`unknown keyword "${key.slice(0, 40)}"`);
  }
  if (Number.isNaN(downloaded) && input.downloadedAtMs !== undefined) downloaded = input.downloadedAtMs;
  const dl = Number.isNaN(downloaded) ? 0 : downloaded;
  const observations: TorObservation[] = [];
  const families = new Set<IpFamily>();
  for (const entry of entries) {
    if (entry.scans.length === 0) {
      rejects.push({ line: entry.line, reason: `entry of ${entry.fp} has no ExitAddress line`, text: `ExitNode ${entry.fp}` });
      continue;
    }
    const last = entry.lastStatus;
    for (const { ip, scan } of entry.scans) {
      const until = Number.isNaN(last) ? scan : Math.min(Math.max(scan, last), scan + policy.scanReachMs);
      families.add(ipFamily(ip));
      observations.push({
        ip, kind: 'exit_scan', fingerprint: entry.fp, observedAtMs: scan, validFromMs: scan, validToMs: until,
        publishedAtMs: Number.isNaN(entry.published) ? 0 : entry.published, lastStatusMs: Number.isNaN(last) ? 0 : last, downloadedAtMs: dl,
      });
    }
  }
  rejects.sort((a, b) => a.line - b.line);
  const coverage: TorCoverage[] = dl === 0 ? [] : [...families].sort().map((family) => ({ kind: 'exit_scan' as const, family, fromMs: dl - policy.exitListCoverageMs, toMs: dl }));
  return { sourceId: input.sourceId, source: input.source, kind: 'tordnsel', downloadedAtMs: dl, observations, coverage, rejects };
}
