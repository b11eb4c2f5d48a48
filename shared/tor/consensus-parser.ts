/**
 * Network-status consensus (`@type network-status-consensus-3 1.0`, also the microdesc flavour): for each relay
 * (`r` line) whose `s` line has the Exit flag, its IPv4 OR address and its `a` addresses (ports dropped), valid
 * for [valid-after, fresh-until]. BadExit relays are kept (they are exit relays; clients avoid them) and marked.
 * The identity is base64 of the fingerprint → 40 upper-case hex. Weaker than a scan: the relay may exit from
 * another address, so a consensus adds evidence but no coverage (it cannot show that an address was NOT an exit).
 */
import { normalizeIp } from '../net/ip.js';
import type { ParserInput, TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';
import { parseTorTime } from './tor-time.js';

interface Relay {
  fp: string;
  addrs: string[];
}

/** base64 identity (27 chars, no padding) → 40 upper-case hex, or '' */
export function identityToFingerprint(b64: string): string {
  if (!/^[A-Za-z0-9+/]{27}=?$/.test(b64)) return '';
  const hex = Buffer.from(b64, 'base64').toString('hex').toUpperCase();
  return hex.length === 40 ? hex : '';
}

export function parseConsensus(input: ParserInput, policy: TorPolicy): TorDocument {
  const rejects: TorReject[] = [];
  const observations: TorObservation[] = [];
  let validAfter = NaN;
  let freshUntil = NaN;
  let relay: Relay | null = null;
  let relays = 0;
  const lines = input.text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    const bad = (reason: string) => rejects.push({ line: n + 1, reason, text: line.slice(0, 200) });
    if (line.startsWith('valid-after ') || line.startsWith('fresh-until ')) {
      const t = parseTorTime(line.slice(12));
      if (Number.isNaN(t)) bad(`${line.slice(0, 11)} is not YYYY-MM-DD HH:MM:SS`);
      else if (line.startsWith('v')) validAfter = t;
      else freshUntil = t;
    } else if (line.startsWith('r ')) {
      relays++;
      const f = line.split(' ');
      // r nickname identity digest date time IP ORPort DirPort; the microdesc flavour has no digest
      const ipAt = f.length >= 9 ? 6 : 5;
      const fp = identityToFingerprint(f[2] ?? '');
      const ip = f.length >= 8 ? normalizeIp(f[ipAt]!) : null;
      relay = null;
      if (fp === '') bad('r line identity is not a base64 fingerprint');
      else if (ip === null || ip.includes(':')) bad('r line has no IPv4 OR address');
      else relay = { fp, addrs: [ip] };
    } else if (line.startsWith('a ')) {
      if (!relay) continue;
      const m = /^a \[([0-9a-fA-F:.]+)\]:\d+$/.exec(line) ?? /^a ([0-9.]+):\d+$/.exec(line);
      const ip = m ? normalizeIp(m[1]!) : null;
      if (ip === null) bad('a line is not [IPv6]:port or IPv4:port');
      else if (!relay.addrs.includes(ip)) relay.addrs.push(ip);
    } else if (line === 's' || line.startsWith('s ')) {
      const flags = line.split(' ');
      if (relay && flags.includes('Exit')) {
        const badExit = flags.includes('BadExit');
        for (const ip of relay.addrs) {
          observations.push({ ip, kind: 'consensus_exit_or', fingerprint: relay.fp, observedAtMs: validAfter, validFromMs: validAfter, validToMs: validAfter, publishedAtMs: 0, lastStatusMs: 0, downloadedAtMs: validAfter, ...(badExit ? { badExit } : {}) });
        }
      }
      relay = null;
    } else if (line.startsWith('directory-footer')) break;
  }
  const va = Number.isNaN(validAfter) ? 0 : validAfter;
  const until = !Number.isNaN(freshUntil) && freshUntil > va ? freshUntil : va + policy.consensusWindowMs;
  for (const o of observations) {
    o.observedAtMs = o.validFromMs = o.downloadedAtMs = va;
    o.validToMs = until;
  }
  if (relays === 0) rejects.push({ line: 1, reason: 'no r lines (relays) in the consensus', text: '' });
  return { sourceId: input.sourceId, source: input.source, kind: 'consensus', downloadedAtMs: va, observations, coverage: [], rejects };
}
