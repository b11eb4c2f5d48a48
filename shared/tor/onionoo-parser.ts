/**
 * Onionoo `details` documents: relays[].exit_addresses are addresses "used to exit in the past 24 hours" before
 * relays_published. Onionoo covers the last week only and an excerpt is not a complete list: evidence, no coverage.
 */
import { normalizeIp } from '../net/ip.js';
import { TorlogsError } from '../core/errors.js';
import type { TorDocument, TorObservation, TorReject } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';
import { parseTorTime } from './tor-time.js';

interface OnionooRelay {
  fingerprint?: string;
  exit_addresses?: unknown;
  last_seen?: string;
}

export function parseOnionoo(input: { text: string; source: string; sourceId: string }, policy: TorPolicy): TorDocument {
  let doc: { relays_published?: string; relays?: OnionooRelay[] };
  try {
    doc = JSON.parse(input.text) as typeof doc;
  } catch (err) {
    throw new TorlogsError('tor_source_invalid', `${input.source}: not an Onionoo JSON document (${(err as Error).message})`, { cause: err });
  }
  const published = parseTorTime(doc.relays_published ?? '');
  if (Number.isNaN(published) || !Array.isArray(doc.relays)) throw new TorlogsError('tor_source_invalid', `${input.source}: Onionoo document without relays_published / relays`);
  const observations: TorObservation[] = [];
  const rejects: TorReject[] = [];
  doc.relays.forEach((r, i) => {
    if (!Array.isArray(r.exit_addresses)) return;
    const lastSeen = parseTorTime(r.last_seen ?? '');
    const until = Number.isNaN(lastSeen) ? published : Math.min(lastSeen, published);
    for (const a of r.exit_addresses) {
      const ip = typeof a === 'string' ? normalizeIp(a) : null;
      if (ip === null) rejects.push({ line: i + 1, reason: `relays[${i}].exit_addresses entry is not an IP`, text: String(a).slice(0, 100) });
      else observations.push({ ip, kind: 'onionoo_exit', fingerprint: (r.fingerprint ?? '').toUpperCase(), observedAtMs: until, validFromMs: until - policy.onionooLookbackMs, validToMs: until, publishedAtMs: 0 });
    }
  });
  return { sourceId: input.sourceId, source: input.source, kind: 'onionoo', downloadedAtMs: published, observations, coverage: [], rejects };
}
