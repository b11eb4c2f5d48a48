/**
 * Hop lists of the forwarding headers, left (the client's side) to right (the proxy nearest to us). Each hop
 * carries its raw text, its canonical IP or null, and for a null IP the reason in words.
 *
 *  - X-Forwarded-For: `client, proxy1, proxy2`. Ports, brackets and quotes are tolerated; nginx joins repeated
 *    headers with `, `. Empty list elements (`a, , b`) are ignored, as RFC 9110 §5.6.1 tells recipients to.
 *  - Forwarded (RFC 7239): one element per proxy, `for=` names the proxy's client. Values may be tokens or
 *    quoted strings (backslash escapes), `[v6]:port`, `v4:port`, `unknown`, obfuscated `_id`. An element without
 *    a `for=` (e.g. only `proto=https`), with two `for=`, or with an unterminated quote is a hop whose address
 *    is not known: skipping it would hand the decision to the hop left of it, which the client may have written.
 *  - X-Real-IP: one address; a list here is a proxy misconfiguration and is not an address.
 */
import { describeNonAddress, hopAddress } from './hop-address.js';

export interface Hop {
  raw: string;
  ip: string | null;
  /** why `ip` is null ('' when it is not) */
  problem: string;
}

function hop(raw: string): Hop {
  const ip = hopAddress(raw);
  return { raw, ip, problem: ip === null ? describeNonAddress(raw) : '' };
}

export function xForwardedForHops(value: string): Hop[] {
  const hops: Hop[] = [];
  for (const part of value.split(',')) {
    const raw = part.trim();
    if (raw !== '') hops.push(hop(raw));
  }
  return hops;
}

export function xRealIpHops(value: string): Hop[] {
  const raw = value.trim();
  if (raw === '') return [];
  if (raw.includes(',')) return [{ raw, ip: null, problem: 'is a list; X-Real-IP must hold one address (check the proxy that sets it)' }];
  return [hop(raw)];
}

interface Element {
  text: string;
  /** values of `for=` parameters, unquoted */
  fors: string[];
  unterminated: boolean;
}

/** Splits a Forwarded value into elements and collects their `for=` values, honouring quoted strings. */
function forwardedElements(value: string): Element[] {
  const out: Element[] = [];
  let start = 0;
  let cur: Element = { text: '', fors: [], unterminated: false };
  let pairStart = 0;
  const endPair = (end: number) => {
    const pair = value.slice(pairStart, end);
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === 'for') cur.fors.push(unquote(pair.slice(eq + 1).trim()));
  };
  const endElement = (end: number) => {
    endPair(end);
    cur.text = value.slice(start, end).trim();
    if (cur.text !== '') out.push(cur);
    cur = { text: '', fors: [], unterminated: false };
  };
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92 /* \ */) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 59 /* ; */) {
      endPair(i);
      pairStart = i + 1;
    } else if (c === 44 /* , */) {
      endElement(i);
      start = pairStart = i + 1;
    }
  }
  if (inQuote) cur.unterminated = true;
  endElement(value.length);
  return out;
}

function unquote(v: string): string {
  if (v.length < 2 || v.charCodeAt(0) !== 34 || v.charCodeAt(v.length - 1) !== 34) return v;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

export function forwardedHops(value: string): Hop[] {
  return forwardedElements(value).map((e): Hop => {
    if (e.unterminated) return { raw: e.text, ip: null, problem: 'has an unterminated quoted string' };
    if (e.fors.length === 0) return { raw: e.text, ip: null, problem: 'has no for= parameter, so this proxy did not say who its client was' };
    if (e.fors.length > 1) return { raw: e.text, ip: null, problem: 'has more than one for= parameter (RFC 7239 allows one per element)' };
    return hop(e.fors[0]!);
  });
}
