/**
 * Any Tor source document → TorDocument: detects the kind by content (or takes it as given), and refuses garbage
 * before it can be applied: an empty body, an HTML or rate-limit page, a document of no known kind, a list with
 * no entries or with mostly invalid lines. Invalid lines of an otherwise good list are kept as counted rejects.
 */
import { createHash } from 'node:crypto';
import { TorlogsError } from '../core/errors.js';
import { parseBulkList } from './bulk-list-parser.js';
import { parseConsensus } from './consensus-parser.js';
import { parseOnionoo } from './onionoo-parser.js';
import type { DocumentKind, TorDocument } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';
import { timeFromFileName } from './tor-time.js';
import { parseTorDnsel } from './tordnsel-parser.js';

export interface TorSourceInput {
  text: string;
  /** file path or URL */
  source: string;
  kind?: DocumentKind;
  /** snapshot time for bulk lists (else from the file name) */
  observedAtMs?: number;
  /** when it was fetched (live lists without a Downloaded header) */
  fetchedAtMs?: number;
}

export function detectKind(text: string): DocumentKind | null {
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith('@type tordnsel') || head.startsWith('ExitNode ') || head.startsWith('Downloaded ')) return 'tordnsel';
  if (head.startsWith('@type network-status-consensus') || head.startsWith('network-status-version')) return 'consensus';
  if (head.startsWith('{') && head.includes('"relays')) return 'onionoo';
  const first = head.split('\n', 1)[0]!.trim();
  if (/^[0-9a-fA-F:.]+$/.test(first) && (first.includes('.') || first.includes(':'))) return 'bulk';
  return null;
}

export function parseTorSource(input: TorSourceInput, policy: TorPolicy): TorDocument {
  const { text, source } = input;
  if (text.trim() === '') throw new TorlogsError('tor_source_invalid', `${source}: empty document`);
  const head = text.slice(0, 512).trimStart().toLowerCase();
  if (head.startsWith('<') || head.includes('<html') || head.includes('<!doctype')) throw new TorlogsError('tor_source_invalid', `${source}: an HTML page, not a Tor list (${JSON.stringify(text.trim().slice(0, 80))})`);
  const kind = input.kind ?? detectKind(text);
  if (!kind) throw new TorlogsError('tor_source_invalid', `${source}: not a Tor list of any known kind (starts with ${JSON.stringify(text.trim().slice(0, 80))}); give --kind if it is one`);
  const sourceId = createHash('sha256').update(text).digest('hex');
  let doc: TorDocument;
  switch (kind) {
    case 'tordnsel':
      doc = parseTorDnsel({ text, source, sourceId, downloadedAtMs: input.fetchedAtMs ?? orUndefined(timeFromFileName(source)) }, policy);
      if (doc.downloadedAtMs === 0) throw new TorlogsError('tor_source_invalid', `${source}: exit list without a Downloaded time (name the file by its time or fetch it live)`);
      break;
    case 'bulk': {
      const t = input.observedAtMs ?? orUndefined(timeFromFileName(source)) ?? input.fetchedAtMs;
      if (t === undefined) throw new TorlogsError('tor_source_invalid', `${source}: a bulk list has no times of its own: give --observed-at or name the file by its snapshot time (2023-06-01T07-30-07Z.lst)`);
      doc = parseBulkList({ text, source, sourceId, observedAtMs: t }, policy);
      break;
    }
    case 'consensus':
      doc = parseConsensus({ text, source, sourceId }, policy);
      break;
    case 'onionoo':
      doc = parseOnionoo({ text, source, sourceId }, policy);
      break;
  }
  if (doc.observations.length === 0 && kind !== 'consensus') throw new TorlogsError('tor_source_invalid', `${source}: no ${kind} entries (${doc.rejects.length} invalid lines)`);
  if (doc.rejects.length > doc.observations.length) {
    throw new TorlogsError('tor_source_invalid', `${source}: ${doc.rejects.length} invalid lines against ${doc.observations.length} entries; first: line ${doc.rejects[0]!.line}: ${doc.rejects[0]!.reason}`);
  }
  return doc;
}

function orUndefined(n: number): number | undefined {
  return Number.isNaN(n) ? undefined : n;
}
