/**
 * TorDNSEL exit lists: the live `exit-addresses` document and CollecTor's archived copies (`@type tordnsel 1.0`,
 * `Downloaded <time>`). Entries: ExitNode <fp> / Published / LastStatus / ExitAddress <ip> <scan time> (1+).
 * One observation per ExitAddress, vouching for [scan, max(scan, LastStatus) + tail]; the list is complete for
 * [Downloaded - coverage, Downloaded].
 */
import { normalizeIp } from '../net/ip.js';
import type { TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';
import { parseTorTime } from './tor-time.js';

export interface TorDnselInput {
  text: string;
  source: string;
  sourceId: string;
  /** download time when the document has no `Downloaded` line (live list: the fetch time; archive: file name) */
  downloadedAtMs?: number;
}

export function parseTorDnsel(input: TorDnselInput, policy: TorPolicy): TorDocument {
  const rejects: TorReject[] = [];
  const observations: TorObservation[] = [];
  let downloaded = input.downloadedAtMs ?? NaN;
  let fp = '';
  let published = 0;
  let lastStatus = NaN;
  let pending: Array<{ ip: string; scan: number }> = [];
  const flush = () => {
    for (const p of pending) {
      const until = Math.max(p.scan, Number.isNaN(lastStatus) ? p.scan : lastStatus) + policy.exitScanTailMs;
      observations.push({ ip: p.ip, kind: 'exit_scan', fingerprint: fp, observedAtMs: p.scan, validFromMs: p.scan, validToMs: until, publishedAtMs: published });
    }
    pending = [];
  };
  const lines = input.text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (line === '' || line.startsWith('@')) continue;
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    const bad = (reason: string) => rejects.push({ line: n + 1, reason, text: line.slice(0, 200) });
    switch (key) {
      case 'Downloaded': {
        const t = parseTorTime(rest);
        if (Number.isNaN(t)) bad('Downloaded time is not YYYY-MM-DD HH:MM:SS');
        else downloaded = t;
        break;
      }
      case 'ExitNode':
        flush();
        fp = /^[0-9A-Fa-f]{40}$/.test(rest) ? rest.toUpperCase() : '';
        if (!fp) bad('ExitNode fingerprint is not 40 hex characters');
        published = 0;
        lastStatus = NaN;
        break;
      case 'Published': {
        const t = parseTorTime(rest);
        if (Number.isNaN(t)) bad('Published time is not YYYY-MM-DD HH:MM:SS');
        else published = t;
        break;
      }
      case 'LastStatus': {
        const t = parseTorTime(rest);
        if (Number.isNaN(t)) bad('LastStatus time is not YYYY-MM-DD HH:MM:SS');
        else lastStatus = t;
        break;
      }
      case 'ExitAddress': {
        const sp2 = rest.indexOf(' ');
        const ip = normalizeIp(sp2 < 0 ? rest : rest.slice(0, sp2));
        const scan = sp2 < 0 ? NaN : parseTorTime(rest.slice(sp2 + 1));
        if (!fp) bad('ExitAddress outside an ExitNode entry');
        else if (ip === null) bad('ExitAddress is not an IP address');
        else if (Number.isNaN(scan)) bad('ExitAddress scan time is not YYYY-MM-DD HH:MM:SS');
        else pending.push({ ip, scan });
        break;
      }
      default:
        bad(`unknown keyword "${key.slice(0, 40)}"`);
    }
  }
  flush();
  const coverage = Number.isNaN(downloaded) ? [] : [{ kind: 'exit_scan' as const, fromMs: downloaded - policy.exitListCoverageMs, toMs: downloaded }];
  return { sourceId: input.sourceId, source: input.source, kind: 'tordnsel', downloadedAtMs: Number.isNaN(downloaded) ? 0 : downloaded, observations, coverage, rejects };
}
