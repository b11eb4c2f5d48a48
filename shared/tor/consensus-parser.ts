/**
 * Network-status consensus (`@type network-status-consensus-3`): for each relay (`r` line) with the Exit flag
 * (and not BadExit) in its `s` line, its IPv4 OR address and `a` IPv6 addresses, valid from valid-after for the
 * consensus window. Weaker evidence than a scan: a relay may exit from another address, so consensuses add
 * presence but no coverage (they cannot prove an address was NOT an exit).
 */
import { normalizeIp } from '../net/ip.js';
import type { TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';
import { parseTorTime } from './tor-time.js';

export function parseConsensus(input: { text: string; source: string; sourceId: string }, policy: TorPolicy): TorDocument {
  const rejects: TorReject[] = [];
  const observations: TorObservation[] = [];
  let validAfter = NaN;
  let relay: { fp: string; addrs: string[] } | null = null;
  const lines = input.text.split('\n');
  const emit = (flags: string[]) => {
    if (!relay || !flags.includes('Exit') || flags.includes('BadExit') || Number.isNaN(validAfter)) return;
    for (const ip of relay.addrs) {
      observations.push({ ip, kind: 'consensus_exit_or', fingerprint: relay.fp, observedAtMs: validAfter, validFromMs: validAfter, validToMs: validAfter + policy.consensusWindowMs, publishedAtMs: 0 });
    }
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (line.startsWith('valid-after ')) {
      validAfter = parseTorTime(line.slice(12));
      if (Number.isNaN(validAfter)) rejects.push({ line: n + 1, reason: 'valid-after is not YYYY-MM-DD HH:MM:SS', text: line });
    } else if (line.startsWith('r ')) {
      const f = line.split(' ');
      // r nickname identity digest date time IP ORPort DirPort
      const fp = f[2] ? Buffer.from(f[2], 'base64').toString('hex').toUpperCase() : '';
      const ip = f[6] ? normalizeIp(f[6]) : null;
      if (fp.length !== 40 || ip === null) {
        rejects.push({ line: n + 1, reason: 'r line without a valid identity and IPv4 address', text: line.slice(0, 200) });
        relay = null;
      } else relay = { fp, addrs: [ip] };
    } else if (line.startsWith('a ') && relay) {
      const m = /^a \[([0-9a-fA-F:.]+)\]:\d+$/.exec(line) ?? /^a ([0-9.]+):\d+$/.exec(line);
      const ip = m ? normalizeIp(m[1]!) : null;
      if (ip === null) rejects.push({ line: n + 1, reason: 'a line is not [IPv6]:port', text: line.slice(0, 200) });
      else if (!relay.addrs.includes(ip)) relay.addrs.push(ip);
    } else if (line.startsWith('s ') || line === 's') {
      emit(line.split(' ').slice(1));
      relay = null;
    }
  }
  return { sourceId: input.sourceId, source: input.source, kind: 'consensus', downloadedAtMs: Number.isNaN(validAfter) ? 0 : validAfter, observations, coverage: [], rejects };
}
