/**
 * The hand-written parser of the Apache/nginx CLF family, scanning with indexOf/charCodeAt (no regular expression):
 *   common          %h %l %u %t "%r" %>s %b
 *   combined        common + ` "%{Referer}i" "%{User-Agent}i"`
 *   vhost_combined  `%v:%p ` (or `%v `) + combined                      (Apache's vhost_combined: bytes are %O)
 *   auto            per line: vhost or not (count of fields before `[time]`), combined or common (what follows the
 *                   byte count), plus the nginx variants real servers write: an X-Forwarded-For list before the
 *                   connecting address (`$proxy_add_x_forwarded_for`, `"$http_x_forwarded_for" $remote_addr`), a
 *                   `unix:` client, `host:port` vhosts.
 * After the user agent, combined-style formats accept extra fields: the first, when quoted, is the X-Forwarded-For
 * header (nginx's default `main` format appends `"$http_x_forwarded_for"`), the rest are ignored.
 *
 * Lenient where a web server's own output is odd but unambiguous: the user agent is the last field, so an unclosed
 * user-agent quote (one line of the real apache_logs file) takes the rest of the line, when every earlier field is
 * good. Strict where the line does not have the format's shape: wrong number of fields before `[time]`, missing
 * referer/agent for combined, text after the byte count for common.
 */
import { accept, deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import type { RejectReason } from '../ingest/reason-codes.js';
import { clfTimeMsAt, parseClfTime } from './clf-time.js';
import { hostWithoutPort, parseClientSection } from './client-section.js';
import { closingQuote, dashToEmpty, unescapeField } from './field-escapes.js';
import { splitRequestInto, type RequestLine } from './request-line.js';

export type ClfVariant = 'common' | 'combined' | 'vhost_combined' | 'auto';

type Rejected = { ok: false; rejection: ReturnType<typeof deadLetter>['rejection'] };
const reject = (reason: RejectReason, field: string, detail: string): Rejected => deadLetter(reason, 'parse', field, detail);
const excerpt = (s: string, from: number, n = 60) => JSON.stringify(s.length - from > n ? `${s.slice(from, from + n)}…` : s.slice(from));

const EXPECTED_PREFIX: Record<ClfVariant, string> = {
  common: '<client> <ident> <user> [<time>]',
  combined: '<client> <ident> <user> [<time>]',
  vhost_combined: '<vhost>[:<port>] <client> <ident> <user> [<time>]',
  auto: '[<vhost>] <client addresses> <ident> <user> [<time>]',
};

function prefixError(line: string, v: ClfVariant): Rejected {
  if (line.charCodeAt(0) === 91) {
    return reject('malformed_line', 'remote_addr', `line starts with "[time]", not with a client address: mod_ssl's ssl_request_log? (format apache_ssl_request); got ${excerpt(line, 0)}`);
  }
  const open = line.indexOf(' [');
  if (open < 0) return reject('malformed_line', 'time_local', `no " [time]" field: not a ${v} access-log line; got ${excerpt(line, 0)}`);
  const n = line.slice(0, open).split(' ').filter((x) => x !== '').length;
  const want = v === 'vhost_combined' ? 4 : 3;
  let hint = '';
  if (v !== 'auto' && n === want + 1) hint = v === 'vhost_combined' ? '' : ' (a vhost prefix? use vhost_combined or auto)';
  else if (v !== 'auto' && n > want && line.slice(0, open).includes(',')) hint = ' (an address list? use auto)';
  else if (v === 'vhost_combined' && n === 3) hint = ' (no vhost: use combined or auto)';
  return reject('malformed_line', 'remote_addr', `expected "${EXPECTED_PREFIX[v]}", found ${n} field${n === 1 ? '' : 's'} before [time]${hint}: ${excerpt(line, 0)}`);
}

/** the text of a quoted field [start, end) (end -1: to the end of the line), unescaped when the line has escapes */
function text(line: string, start: number, end: number, escapes: boolean): string {
  const raw = end < 0 ? line.slice(start) : line.slice(start, end);
  return escapes ? unescapeField(raw) : raw;
}

/** the index of a space-free token's end, or -1 when the token is empty or contains a comma (an address list) */
function tokenEnd(line: string, p: number): number {
  for (let i = p; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) return i > p ? i : -1;
    if (c === 44 || c === 34) return -1;
  }
  return -1;
}

export function createClfParser(v: ClfVariant): (line: string) => StageResult<ParsedLine> {
  const auto = v === 'auto';
  const vhostFirst = v === 'vhost_combined';
  const needTail = v === 'combined' || v === 'vhost_combined';
  const noTail = v === 'common';
  const rl: RequestLine = { method: '', path: '', protocol: '' };
  return (line) => {
    let vhost = '', forwardedList = '', remoteAddr: string, user: string;
    // ---- [vhost] client ident user
    let p = 0;
    if (vhostFirst) {
      const e = tokenEnd(line, 0);
      if (e < 0) return prefixError(line, v);
      vhost = hostWithoutPort(line.slice(0, e));
      p = e + 1;
    }
    let open: number;
    const e1 = tokenEnd(line, p);
    const e2 = e1 < 0 ? -1 : tokenEnd(line, e1 + 1);
    const e3 = e2 < 0 ? -1 : tokenEnd(line, e2 + 1);
    if (e3 > 0 && line.charCodeAt(e3 + 1) === 91) {
      remoteAddr = line.slice(p, e1);
      user = dashToEmpty(line.slice(e2 + 1, e3));
      open = e3;
    } else if (auto && line.charCodeAt(0) !== 91) {
      open = line.indexOf(' [');
      const c = open > 0 ? parseClientSection(line.slice(0, open)) : null;
      if (c === null) return prefixError(line, v);
      vhost = hostWithoutPort(c.vhost);
      remoteAddr = c.remoteAddr;
      forwardedList = c.forwardedList;
      user = c.user;
    } else return prefixError(line, v);

    // ---- [time]
    const ts = open + 2;
    if (line.charCodeAt(ts + 26) !== 93) {
      const close = line.indexOf(']', ts);
      if (close < 0) return reject('malformed_line', 'time_local', `unclosed "[time" field: ${excerpt(line, ts - 1)}`);
      const r = parseClfTime(line.slice(ts, close));
      return reject('bad_timestamp', 'time_local', r.ok ? `"${line.slice(ts, close)}": expected dd/Mon/yyyy:HH:MM:SS +zzzz` : r.error);
    }
    const tsMs = clfTimeMsAt(line, ts);
    if (tsMs !== tsMs) {
      const r = parseClfTime(line.slice(ts, ts + 26));
      return reject('bad_timestamp', 'time_local', r.ok ? `"${line.slice(ts, ts + 26)}": not a valid time` : r.error);
    }

    // ---- "request"
    let i = ts + 27;
    if (line.charCodeAt(i) !== 32 || line.charCodeAt(i + 1) !== 34) return reject('malformed_line', 'request', `expected a quoted request line after [time], found ${excerpt(line, i)}`);
    // one scan decides whether any field from here on can hold an escape (most lines: none)
    const escapes = line.indexOf('\\', i) >= 0;
    const rqEnd = escapes ? closingQuote(line, i + 2) : line.indexOf('"', i + 2);
    if (rqEnd < 0) return reject('malformed_line', 'request', `unclosed quote in the request line: ${excerpt(line, i + 1)}`);
    if (escapes) {
      const request = unescapeField(line.slice(i + 2, rqEnd));
      splitRequestInto(request, 0, request.length, rl);
    } else splitRequestInto(line, i + 2, rqEnd, rl);

    // ---- status
    i = rqEnd + 1;
    const len = line.length;
    const d0 = line.charCodeAt(i + 1) - 48, d1 = line.charCodeAt(i + 2) - 48, d2 = line.charCodeAt(i + 3) - 48;
    const after = line.charCodeAt(i + 4);
    if (line.charCodeAt(i) !== 32 || !(d0 >= 1 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) || (after !== 32 && i + 4 !== len)) {
      if (line.charCodeAt(i) !== 32) return reject('malformed_line', 'request', `expected " <status>" after the closing quote of the request, found ${excerpt(line, i)}`);
      const end = line.indexOf(' ', i + 1);
      return reject('bad_status', 'status', `"${line.slice(i + 1, end < 0 ? Math.min(len, i + 41) : Math.min(end, i + 41))}" is not a 3-digit HTTP status`);
    }
    const status = d0 * 100 + d1 * 10 + d2;

    // ---- bytes
    i += 4;
    if (i === len) return reject('malformed_line', 'body_bytes_sent', 'line ends after the status: no byte count');
    let k = i + 1;
    let bytes = 0;
    if (line.charCodeAt(k) === 45 && (k + 1 === len || line.charCodeAt(k + 1) === 32)) k++;
    else {
      for (; k < len; k++) {
        const d = line.charCodeAt(k) - 48;
        if (d < 0 || d > 9) break;
        bytes = bytes * 10 + d;
      }
      if (k === i + 1 || (k < len && line.charCodeAt(k) !== 32) || k - i > 16) {
        const end = line.indexOf(' ', i + 1);
        return reject('bad_number', 'body_bytes_sent', `"${line.slice(i + 1, end < 0 ? Math.min(len, i + 41) : Math.min(end, i + 41))}" is not a byte count (digits or -)`);
      }
    }

    // ---- "referer" "user agent" ["x-forwarded-for" ...]
    let referer = '', userAgent = '', xff = '';
    if (k < len) {
      if (noTail) return reject('malformed_line', 'line', `unexpected text after the byte count: ${excerpt(line, k)} (a combined line? use combined or auto)`);
      if (line.charCodeAt(k) !== 32 || line.charCodeAt(k + 1) !== 34) return reject('malformed_line', 'http_referer', `expected a quoted referer after the byte count, found ${excerpt(line, k)}`);
      const refEnd = escapes ? closingQuote(line, k + 2) : line.indexOf('"', k + 2);
      if (refEnd < 0) return reject('malformed_line', 'http_referer', `unclosed quote in the referer: ${excerpt(line, k + 1)}`);
      referer = dashToEmpty(text(line, k + 2, refEnd, escapes));
      k = refEnd + 1;
      if (line.charCodeAt(k) !== 32 || line.charCodeAt(k + 1) !== 34) return reject('malformed_line', 'http_user_agent', `expected a quoted user agent after the referer, found ${excerpt(line, k)}`);
      const uaEnd = escapes ? closingQuote(line, k + 2) : line.indexOf('"', k + 2);
      if (uaEnd < 0) {
        userAgent = dashToEmpty(text(line.trimEnd(), k + 2, -1, escapes)); // lenient: unclosed last quote runs to the end
        k = len;
      } else {
        userAgent = dashToEmpty(text(line, k + 2, uaEnd, escapes));
        k = uaEnd + 1;
      }
      if (k < len) {
        if (line.charCodeAt(k) !== 32) return reject('malformed_line', 'http_user_agent', `unexpected text right after the user agent's closing quote: ${excerpt(line, k)}`);
        if (line.charCodeAt(k + 1) === 34) {
          const xEnd = escapes ? closingQuote(line, k + 2) : line.indexOf('"', k + 2);
          xff = dashToEmpty(xEnd < 0 ? text(line.trimEnd(), k + 2, -1, escapes) : text(line, k + 2, xEnd, escapes));
        }
      }
    } else if (needTail) {
      return reject('malformed_line', 'http_referer', `line ends after the byte count: no "referer" "user agent" (a common-format line? use common or auto)`);
    }

    const out: ParsedLine = {
      tsMs,
      remoteAddr,
      xForwardedFor: forwardedList !== '' ? forwardedList : xff,
      forwarded: '',
      xRealIp: '',
      vhost,
      method: rl.method,
      path: rl.path,
      protocol: rl.protocol,
      status,
      bytes,
      referer,
      userAgent,
      durationMs: 0,
      user,
    };
    return accept(out);
  };
}
