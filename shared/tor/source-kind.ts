/**
 * What a Tor source document is, judged by its content, and the refusal of documents that are not Tor data at all
 * (an empty body, an HTML page, a rate-limit or error text): applying those would erase history or fake coverage.
 */
import { TorlogsError } from '../core/errors.js';
import { normalizeIp } from '../net/ip.js';
import type { DocumentKind } from './tor-document.js';

/** first lines of error texts seen in place of lists (dan.me.uk's "Umm... You can only fetch the data every 30
 * minutes - sorry.", HTTP status texts, proxies' messages) */
const ERROR_TEXT = /too many requests|rate.?limit|you can only fetch|try again later|\b(429|403|404|500|502|503)\b|forbidden|not found|service unavailable|bad gateway|access denied/i;

function firstLines(text: string, max: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < max && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '').trim();
    if (line !== '') out.push(line);
    start = end + 1;
  }
  return out;
}

/** The kind by content, or null. `@type torperf` is accepted for exit lists: CollecTor's 2016-10..2017-01 archives
 * carry that wrong annotation (collector task 21195). */
export function detectKind(text: string): DocumentKind | null {
  const lines = firstLines(text.replace(/^\uFEFF/, ''), 20).filter((l) => !l.startsWith('#'));
  const first = lines[0] ?? '';
  if (first.startsWith('@type ')) {
    const type = first.slice(6).split(' ')[0]!;
    if (type === 'tordnsel') return 'tordnsel';
    if (type === 'network-status-consensus-3' || type === 'network-status-microdesc-consensus-3') return 'consensus';
    if (type === 'torperf' && lines.some((l) => l.startsWith('ExitNode ') || l.startsWith('Downloaded '))) return 'tordnsel';
    return null;
  }
  if (first.startsWith('ExitNode ') || first.startsWith('Downloaded ')) return 'tordnsel';
  if (first === 'network-status-version 3' || first.startsWith('network-status-version 3 ')) {
    return lines.includes('vote-status consensus') ? 'consensus' : null;
  }
  if (first.startsWith('{')) return /"relays(_published)?"\s*:/.test(text.slice(0, 65536)) ? 'onionoo' : null;
  return normalizeIp(first) !== null ? 'bulk' : null;
}

/** Throws tor_source_invalid for a document that is no Tor data of any kind, whatever it claims to be. */
export function refuseGarbage(text: string, source: string): void {
  const lines = firstLines(text.replace(/^\uFEFF/, ''), 3);
  const first = lines[0];
  if (first === undefined) throw new TorlogsError('tor_source_invalid', `${source}: empty document`, { details: { source, reason: 'empty' } });
  const head = text.slice(0, 1024).toLowerCase();
  if (first.startsWith('<') || head.includes('<html') || head.includes('<!doctype') || head.includes('<body')) {
    throw new TorlogsError('tor_source_invalid', `${source}: an HTML page, not a Tor list (${JSON.stringify(first.slice(0, 80))})`, { details: { source, reason: 'html' } });
  }
  if (ERROR_TEXT.test(first) && normalizeIp(first) === null && !first.startsWith('@type ') && !first.startsWith('ExitNode ') && !first.startsWith('{')) {
    throw new TorlogsError('tor_source_invalid', `${source}: a rate-limit or error message, not a Tor list (${JSON.stringify(first.slice(0, 80))})`, { details: { source, reason: 'error_text' } });
  }
}

export function describeStart(text: string): string {
  return JSON.stringify(text.trim().slice(0, 80));
}
