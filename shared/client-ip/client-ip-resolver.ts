/**
 * The client IP of a request. The connecting address is the client unless it is a trusted proxy (configured
 * CIDRs; `unix` for a unix-socket peer). Behind a trusted proxy the forwarding headers are read right to left,
 * skipping trusted hops: the right-most untrusted hop is the client (hops further left were written by the
 * client itself and prove nothing). If every hop is trusted, the left-most one is the client.
 *
 * A hop that is not an IP (`unknown`, `_hidden`, a hostname) where the walk needs it makes the client unknown:
 * the line is dead-lettered as bad_client_ip rather than attributed to the proxy — a wrong attribution is worse
 * than a counted, kept, unattributed line.
 */
import { deadLetter, accept, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import { parseCidrs, type CidrSet } from '../net/cidr.js';
import type { ClientIpResolver, IpSource } from '../pipeline/stages.js';
import { forwardedHops, hopIp, xForwardedForHops, xRealIpHops, type Hop } from './forwarded-hops.js';

export type ForwardHeader = Exclude<IpSource, 'remote_addr'>;

export interface ClientIpOptions {
  trustedProxies: readonly string[];
  /** headers to believe, in order of preference (default: x-forwarded-for, forwarded, x-real-ip) */
  headers?: readonly ForwardHeader[];
}

const FIELD: Record<ForwardHeader, keyof ParsedLine> = { 'x-forwarded-for': 'xForwardedFor', forwarded: 'forwarded', 'x-real-ip': 'xRealIp' };
const HOPS: Record<ForwardHeader, (v: string) => Hop[]> = { 'x-forwarded-for': xForwardedForHops, forwarded: forwardedHops, 'x-real-ip': xRealIpHops };

export function createClientIpResolver(o: ClientIpOptions): ClientIpResolver {
  const trusted: CidrSet = parseCidrs(o.trustedProxies);
  const headers = o.headers ?? (['x-forwarded-for', 'forwarded', 'x-real-ip'] as const);
  const anyTrust = trusted.size > 0 || trusted.trustsUnix;

  return (p: ParsedLine): StageResult<{ ip: string; via: IpSource }> => {
    const peer = hopIp(p.remoteAddr);
    if (peer !== null && (!anyTrust || !trusted.contains(peer))) return accept({ ip: peer, via: 'remote_addr' });
    const peerTrusted = peer !== null || (trusted.trustsUnix && p.remoteAddr.startsWith('unix:'));
    if (!peerTrusted) {
      return deadLetter('bad_client_ip', 'client_ip', 'remote_addr', `connecting address "${p.remoteAddr.slice(0, 100)}" is not an IP (add "unix" to TORLOGS_TRUSTED_PROXIES for a unix-socket proxy)`);
    }
    for (const h of headers) {
      const value = p[FIELD[h]] as string;
      if (value === '') continue;
      const hops = HOPS[h](value);
      if (hops.length === 0) continue;
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i]!;
        if (hop.ip === null) {
          return deadLetter('bad_client_ip', 'client_ip', h, `hop "${hop.raw.slice(0, 100)}" in ${h} is not an IP, so the client behind the trusted proxy is unknown`);
        }
        if (!trusted.contains(hop.ip) || i === 0) return accept({ ip: hop.ip, via: h });
      }
    }
    if (peer !== null) return accept({ ip: peer, via: 'remote_addr' });
    return deadLetter('bad_client_ip', 'client_ip', 'remote_addr', 'request came through a trusted unix-socket proxy without a forwarding header');
  };
}
