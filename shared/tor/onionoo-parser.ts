/**
 * Onionoo `details` documents. A current-state API: relays of the past week, no history. Per relay:
 *  - `exit_addresses` ("used to exit to the Internet in the past 24 hours", from exit-list scans < 24 h old)
 *    → `onionoo_exit` observed at the relay's `last_seen` (the last consensus listing it; the same inference as a
 *    TorDNSEL scan counted up to LastStatus), capped at `relays_published`;
 *  - `or_addresses` of relays with the Exit flag → `onionoo_exit_or` at the same time (weaker: OR address).
 * No coverage: an Onionoo answer is often filtered or an excerpt, so a missing address proves nothing.
 * Rejects name the relay by its 1-based position in `relays`.
 */
import { TorlogsError } from '../core/errors.js';
import { normalizeIp } from '../net/ip.js';
import type { ObservationKind, ParserInput, TorDocument, TorObservation, TorReject } from './tor-document.js';
import { parseTorTime } from './tor-time.js';

interface OnionooRelay {
  fingerprint?: unknown;
  exit_addresses?: unknown;
  or_addresses?: unknown;
  flags?: unknown;
  last_seen?: unknown;
}

/** `1.2.3.4:443`, `[2620:7:6003::141]:81` or a bare address → canonical IP, or null */
function addressOf(s: string, withPort: boolean): string | null {
  if (!withPort) return normalizeIp(s);
  const m = /^\[([^\]]+)\]:\d+$/.exec(s) ?? /^([^:]+):\d+$/.exec(s);
  return m ? normalizeIp(m[1]!) : null;
}

export function parseOnionoo(input: ParserInput): TorDocument {
  let doc: { relays_published?: unknown; relays?: unknown };
  try {
    doc = JSON.parse(input.text) as typeof doc;
  } catch (err) {
    throw new TorlogsError('tor_source_invalid', `${input.source}: not an Onionoo JSON document (${(err as Error).message})`, { cause: err });
  }
  const published = typeof doc.relays_published === 'string' ? parseTorTime(doc.relays_published) : NaN;
  if (doc === null || typeof doc !== 'object' || Number.isNaN(published) || !Array.isArray(doc.relays)) {
    throw new TorlogsError('tor_source_invalid', `${input.source}: JSON without Onionoo's relays_published and relays`);
  }
  const observations: TorObservation[] = [];
  const rejects: TorReject[] = [];
  (doc.relays as unknown[]).forEach((raw, i) => {
    const r = (raw ?? {}) as OnionooRelay;
    const fp = typeof r.fingerprint === 'string' && /^[0-9A-Fa-f]{40}$/.test(r.fingerprint) ? r.fingerprint.toUpperCase() : '';
    const lastSeen = typeof r.last_seen === 'string' ? parseTorTime(r.last_seen) : NaN;
    const at = Number.isNaN(lastSeen) ? published : Math.min(lastSeen, published);
    const flags = Array.isArray(r.flags) ? (r.flags as unknown[]) : [];
    const emit = (list: unknown, kind: ObservationKind, withPort: boolean) => {
      if (list === undefined) return;
      if (!Array.isArray(list)) {
        rejects.push({ line: i + 1, reason: `relays[${i}].${kind === 'onionoo_exit' ? 'exit_addresses' : 'or_addresses'} is not an array`, text: JSON.stringify(list).slice(0, 100) });
        return;
      }
      const seen = new Set<string>();
      for (const a of list) {
        const ip = typeof a === 'string' ? addressOf(a, withPort) : null;
        if (ip === null) rejects.push({ line: i + 1, reason: `relays[${i}] address is not an IP${withPort ? ':port' : ''}`, text: String(a).slice(0, 100) });
        else if (!seen.has(ip)) {
          seen.add(ip);
          observations.push({ ip, kind, fingerprint: fp, observedAtMs: at, validFromMs: at, validToMs: at, publishedAtMs: 0, lastStatusMs: Number.isNaN(lastSeen) ? 0 : lastSeen, downloadedAtMs: published, ...(flags.includes('BadExit') ? { badExit: true } : {}) });
        }
      }
    };
    emit(r.exit_addresses, 'onionoo_exit', false);
    if (flags.includes('Exit')) emit(r.or_addresses, 'onionoo_exit_or', true);
  });
  return { sourceId: input.sourceId, source: input.source, kind: 'onionoo', downloadedAtMs: published, observations, coverage: [], rejects };
}
