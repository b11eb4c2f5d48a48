/**
 * The client IP of a request.
 *
 *  1. The connecting address (`remote_addr`) is the client, unless it is a trusted proxy: an address in the
 *     configured CIDRs, or a unix-socket peer (`unix:`) when the list has the entry `unix`.
 *  2. Behind a trusted proxy, the first forwarding header present in the configured order (default
 *     x-forwarded-for, forwarded, x-real-ip) is read right to left: trusted hops are skipped and the right-most
 *     untrusted hop is the client. Hops further left were written by the client or its proxies and prove nothing.
 *     When every hop is trusted, the left-most one is the client (what nginx's real_ip_recursive does).
 *  3. Behind a trusted proxy with no forwarding header, the proxy itself made the request (health checks).
 *  Loopback and private clients are valid requests (geo stays empty).
 *
 * Decisions on unusable values, all dead-lettered as `bad_client_ip` with the field and value in the detail:
 *  - A hop that is not an address where the walk needs it (`unknown`, an obfuscated `_id`, a host name, a Forwarded
 *    element without `for=`): the proxy that wrote it is telling us it does not know the client. Storing the proxy's
 *    own address instead would give the row the proxy's geo and Tor status, a wrong attribution; the next header is
 *    not consulted either (the trusted proxy wrote this one; another header may come from the client unchecked).
 *    The line is kept, counted and replayable in the dead letters instead.
 *  - A missing (`-`) or non-IP (host name) connecting address, and an untrusted unix-socket peer.
 * Only configure the headers your proxies set (and overwrite): a header a proxy passes through unchanged is
 * whatever the client sent.
 *
 * The connecting address as logged is memoised (bounded): its canonical form and whether it is trusted are
 * worked out once per address, and for an untrusted one (most lines) the same frozen answer is returned, so the
 * hot path is one map lookup and the canonical IP string is shared by every row of that client.
 */
import { TorlogsError } from '../core/errors.js';
import { accept, deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import { createBoundedMemo } from '../core/bounded-memo.js';
import { parseCidrList } from '../net/cidr.js';
import type { IpSource } from '../pipeline/stages.js';
import { forwardedHops, xForwardedForHops, xRealIpHops, type Hop } from './forwarding-hops.js';
import { connectingAddress, shown, type ConnectingAddress } from './hop-address.js';

export type ForwardingHeader = Exclude<IpSource, 'remote_addr'>;

export const FORWARDING_HEADERS: readonly ForwardingHeader[] = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

export interface ClientIpResolverOptions {
  /** CIDRs or addresses of trusted proxies; `unix` trusts a unix-socket peer. Bad entries throw CidrError. */
  trustedProxies: readonly string[];
  /** headers to believe, in order of preference (default x-forwarded-for, forwarded, x-real-ip) */
  headers?: readonly ForwardingHeader[];
  /** connecting addresses memoised (default 50,000; 0 turns the memo off) */
  memoSize?: number;
}

/** what is known of one connecting address as logged */
interface Peer {
  addr: ConnectingAddress;
  /** the answer for every line from this address, when no header is consulted (an untrusted IP) */
  direct: StageResult<ClientIp> | null;
}

export interface ClientIp {
  /** canonical text (shared/net/ip.ts) */
  ip: string;
  via: IpSource;
}

export type ClientIpResolver = (line: ParsedLine) => StageResult<ClientIp>;

interface HeaderReader {
  name: ForwardingHeader;
  /** the field name in ParsedLine and in dead letters */
  field: 'xForwardedFor' | 'forwarded' | 'xRealIp';
  rejectField: string;
  hops: (value: string) => Hop[];
}

const READERS: Record<ForwardingHeader, HeaderReader> = {
  'x-forwarded-for': { name: 'x-forwarded-for', field: 'xForwardedFor', rejectField: 'x_forwarded_for', hops: xForwardedForHops },
  forwarded: { name: 'forwarded', field: 'forwarded', rejectField: 'forwarded', hops: forwardedHops },
  'x-real-ip': { name: 'x-real-ip', field: 'xRealIp', rejectField: 'x_real_ip', hops: xRealIpHops },
};

const isUnixEntry = (e: string): boolean => /^unix:?$/i.test(e.trim());

export function createClientIpResolver(o: ClientIpResolverOptions): ClientIpResolver {
  const trusted = parseCidrList(o.trustedProxies, { skip: isUnixEntry });
  const trustsUnix = o.trustedProxies.some(isUnixEntry);
  const names = o.headers ?? FORWARDING_HEADERS;
  for (const h of names) {
    if (!Object.hasOwn(READERS, h)) throw new TorlogsError('config_invalid', `unknown forwarding header ${JSON.stringify(h)}: use ${FORWARDING_HEADERS.join(', ')}`);
  }
  const readers = [...new Set(names)].map((h) => READERS[h]);
  const headerList = readers.map((r) => r.name).join(', ') || '(none configured)';
  const reject = (field: string, detail: string) => deadLetter('bad_client_ip', 'client_ip', field, detail);

  function fromHeaders(p: ParsedLine): StageResult<ClientIp> | null {
    for (const r of readers) {
      const value = p[r.field];
      if (value === '' || value === '-') continue;
      const hops = r.hops(value);
      for (let i = hops.length - 1; i >= 0; i--) {
        const h = hops[i]!;
        if (h.ip === null) {
          const behind = i === hops.length - 1 ? 'it was written by the trusted proxy' : 'every hop to its right is a trusted proxy';
          return reject(r.rejectField, `${r.name} hop ${i + 1} of ${hops.length} ${shown(h.raw, 100)} ${h.problem}, and ${behind}: the client is unknown (${r.name}: ${shown(value)})`);
        }
        if (i === 0 || !trusted.contains(h.ip)) return accept({ ip: h.ip, via: r.name });
      }
      // only empty list elements: as if the header were absent
    }
    return null;
  }

  const peers = createBoundedMemo<string, Peer>('two-generation', o.memoSize ?? 50_000);
  function peerOf(remoteAddr: string): Peer {
    let e = peers.get(remoteAddr);
    if (e === undefined) {
      const addr = connectingAddress(remoteAddr);
      const direct = addr.kind === 'ip' && !trusted.contains(addr.ip) ? Object.freeze(accept(Object.freeze({ ip: addr.ip, via: 'remote_addr' as const }))) : null;
      e = { addr, direct };
      peers.set(remoteAddr, e);
    }
    return e;
  }

  return (p: ParsedLine): StageResult<ClientIp> => {
    const { addr: peer, direct } = peerOf(p.remoteAddr);
    if (direct !== null) return direct;
    switch (peer.kind) {
      case 'ip':
        return fromHeaders(p) ?? accept({ ip: peer.ip, via: 'remote_addr' });
      case 'unix':
        if (!trustsUnix) {
          return reject('remote_addr', `connecting address ${shown(p.remoteAddr, 100)} is a unix socket and "unix" is not among the trusted proxies, so no forwarding header can be believed and there is no client IP`);
        }
        return fromHeaders(p) ?? reject('remote_addr', `request came through the trusted unix-socket proxy ${shown(p.remoteAddr, 100)} but none of ${headerList} was logged`);
      case 'missing':
        return reject('remote_addr', `connecting address is missing (${shown(p.remoteAddr)}); forwarding headers are only believed from a trusted proxy, so there is no client IP`);
      case 'invalid':
        return reject('remote_addr', `connecting address ${shown(p.remoteAddr, 100)} is not an IP address (host name lookups on? log the numeric address: nginx $remote_addr, Apache %a)`);
    }
  };
}
