/**
 * Any Tor source document → TorDocument. Detects the kind by content (a claimed kind must agree with it), refuses
 * documents that are not what they claim (an empty body, an HTML or rate-limit page, no entries, mostly invalid
 * lines) with TorlogsError('tor_source_invalid'), and keeps the invalid lines of an otherwise good document as
 * counted rejects. Never throws for bad lines. Pure: no I/O.
 *
 * sourceId = sha256 of the bytes; for documents without a time of their own (bulk lists, live exit lists without
 * `Downloaded`) the time given for them is hashed too: the same list fetched an hour later is another observation.
 */
import { createHash } from 'node:crypto';
import { TorlogsError } from '../core/errors.js';
import { parseBulkList } from './bulk-list-parser.js';
import { parseConsensus } from './consensus-parser.js';
import { parseOnionoo } from './onionoo-parser.js';
import { describeStart, detectKind, refuseGarbage } from './source-kind.js';
import type { DocumentKind, TorDocument } from './tor-document.js';
import { DEFAULT_TOR_POLICY, type TorPolicy } from './tor-policy.js';
import { timeFromFileName } from './tor-time.js';
import { parseTorDnsel } from './tordnsel-parser.js';

export interface TorSourceInput {
  text: string | Uint8Array;
  /** file path, archive member (`archive.tar.xz!dir/name`) or URL; its file name may carry the time */
  source: string;
  /** the claimed kind; when absent it is detected by content */
  kind?: DocumentKind;
  /** snapshot time of a bulk list (else from the file name, else fetchedAtMs) */
  observedAtMs?: number;
  /** when it was fetched: the time of live lists that carry none (exit-addresses without `Downloaded`, bulk lists) */
  fetchedAtMs?: number;
}

const invalid = (source: string, message: string, reason: string) => new TorlogsError('tor_source_invalid', `${source}: ${message}`, { details: { source, reason } });

export function parseTorSource(input: TorSourceInput, policy: TorPolicy = DEFAULT_TOR_POLICY): TorDocument {
  const { source } = input;
  const bytes = typeof input.text === 'string' ? Buffer.from(input.text, 'utf8') : input.text;
  const text = typeof input.text === 'string' ? input.text : Buffer.from(input.text).toString('utf8');
  refuseGarbage(text, source);
  const detected = detectKind(text);
  const kind = input.kind ?? detected;
  if (!kind) throw invalid(source, `not a Tor document of any known kind (starts with ${describeStart(text)})`, 'unknown_kind');
  if (detected !== null && detected !== kind) throw invalid(source, `claimed to be ${kind} but the content is ${detected}`, 'kind_mismatch');
  const hash = createHash('sha256').update(bytes);
  const fileTime = orUndefined(timeFromFileName(source));
  let doc: TorDocument;
  switch (kind) {
    case 'tordnsel': {
      const ownTime = /^Downloaded /m.test(text);
      const t = input.fetchedAtMs ?? fileTime;
      if (!ownTime && t !== undefined) hash.update(`\0downloaded-at=${t}`);
      doc = parseTorDnsel({ text, source, sourceId: hash.digest('hex'), ...(t === undefined ? {} : { downloadedAtMs: t }) }, policy);
      if (doc.downloadedAtMs === 0) throw invalid(source, 'exit list without a Downloaded time: give the fetch time or name the file by it (2018-11-01-00-02-01)', 'no_time');
      break;
    }
    case 'bulk': {
      const t = input.observedAtMs ?? fileTime ?? input.fetchedAtMs;
      if (t === undefined) throw invalid(source, 'a bulk list has no times of its own: give --observed-at or name the file by its snapshot time (2023-06-01T07-30-07Z.lst)', 'no_time');
      hash.update(`\0observed-at=${t}`);
      doc = parseBulkList({ text, source, sourceId: hash.digest('hex'), observedAtMs: t }, policy);
      break;
    }
    case 'consensus':
      doc = parseConsensus({ text, source, sourceId: hash.digest('hex') }, policy);
      if (doc.downloadedAtMs === 0) throw invalid(source, 'consensus without a valid-after time', 'no_time');
      break;
    case 'onionoo':
      doc = parseOnionoo({ text, source, sourceId: hash.digest('hex') });
      break;
  }
  const entriesRequired = kind === 'tordnsel' || kind === 'bulk';
  if (entriesRequired && doc.observations.length === 0) throw invalid(source, `no ${kind} entries (${doc.rejects.length} invalid lines)`, 'no_entries');
  if (doc.rejects.length > doc.observations.length) {
    const r = doc.rejects[0]!;
    throw invalid(source, `${doc.rejects.length} invalid lines against ${doc.observations.length} entries; first: line ${r.line}: ${r.reason}`, 'mostly_invalid');
  }
  return doc;
}

function orUndefined(n: number): number | undefined {
  return Number.isNaN(n) ? undefined : n;
}
