/**
 * The fast parser for Apache/nginx `common`, `combined` and `vhost_combined` lines (and the variants real servers
 * write: a vhost or host:port prefix, forwarded address lists before the connecting address, extra quoted fields
 * after the user agent — the first one is `$http_x_forwarded_for` as in nginx's `main` format). Hand-written
 * scanning with indexOf/charCodeAt; no regular expression on the hot path.
 *
 * Lenient where the web server's own output is odd but unambiguous: an unclosed quote in the LAST quoted field
 * (a user agent cut off) takes the rest of the line. Strict where the line does not match the format.
 */
import { accept, deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import { parseClfTime } from './clf-time.js';
import { parseClientSection } from './client-section.js';
import { closingQuote, unescapeField } from './field-escapes.js';
import { splitRequestLine } from './request-line.js';

const reject = (reason: Parameters<typeof deadLetter>[0], field: string, detail: string) => deadLetter(reason, 'parse', field, detail);

/** Reads a quoted field starting at `i` (which must be `"`); returns [value, indexAfterClosingQuote] or null. */
function quoted(line: string, i: number, lenientToEnd: boolean): [string, number] | null {
  if (line.charCodeAt(i) !== 34) return null;
  const end = closingQuote(line, i + 1);
  if (end < 0) return lenientToEnd ? [unescapeField(line.slice(i + 1).trimEnd()), line.length] : null;
  return [unescapeField(line.slice(i + 1, end)), end + 1];
}

export function parseCombined(input: string): StageResult<ParsedLine> {
  let line = input;
  if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
  if (line.trim() === '') return reject('empty_line', 'line', 'line is empty');
  const r = parseUnwrapped(line);
  if (r.ok || !looksWrapped(line)) return r;
  // a whole line wrapped in quotes by a shipper: "1.2.3.4 - - [..] \"GET / HTTP/1.1\" 200 .."
  let inner: unknown;
  try {
    inner = JSON.parse(line);
  } catch {
    return r;
  }
  return typeof inner === 'string' ? parseUnwrapped(inner) : r;
}

function looksWrapped(line: string): boolean {
  return line.length > 2 && line.charCodeAt(0) === 34 && line.charCodeAt(line.length - 1) === 34 && line.includes('\\"');
}

function parseUnwrapped(line: string): StageResult<ParsedLine> {
  const open = line.indexOf(' [');
  if (open < 0) return reject('malformed_line', 'time_local', 'no "[time]" field: not a common/combined access-log line');
  const close = line.indexOf(']', open + 2);
  if (close < 0) return reject('malformed_line', 'time_local', 'unclosed "[time" field');
  const client = parseClientSection(line.slice(0, open));
  if (!client) return reject('malformed_line', 'remote_addr', `expected "[vhost] client ident user" before [time], got "${line.slice(0, Math.min(open, 120))}"`);
  const t = parseClfTime(line.slice(open + 2, close));
  if (!t.ok) return reject('bad_timestamp', 'time_local', t.error);

  let i = close + 1;
  if (line.charCodeAt(i) !== 32) return reject('malformed_line', 'request', 'expected a space after [time]');
  const req = quoted(line, i + 1, false);
  if (!req) return reject('malformed_line', 'request', 'expected a quoted request line after [time]');
  i = req[1];
  // status and bytes
  if (line.charCodeAt(i) !== 32) return reject('malformed_line', 'status', 'expected " status bytes" after the request');
  const sEnd = line.indexOf(' ', i + 1);
  const statusText = line.slice(i + 1, sEnd < 0 ? line.length : sEnd);
  const status = statusText.length === 3 ? Number(statusText) : NaN;
  if (!(status >= 100 && status <= 599)) return reject('bad_status', 'status', `"${statusText.slice(0, 40)}" is not an HTTP status`);
  let bytes = 0;
  let referer = '';
  let userAgent = '';
  let xff = '';
  if (sEnd > 0) {
    const bEnd = line.indexOf(' ', sEnd + 1);
    const bytesText = line.slice(sEnd + 1, bEnd < 0 ? line.length : bEnd);
    if (bytesText !== '-') {
      bytes = Number(bytesText);
      if (!Number.isInteger(bytes) || bytes < 0 || bytesText === '') return reject('bad_number', 'body_bytes_sent', `"${bytesText.slice(0, 40)}" is not a byte count`);
    }
    i = bEnd;
    if (i > 0) {
      const ref = quoted(line, i + 1, false);
      if (!ref) return reject('malformed_line', 'http_referer', 'expected a quoted referer after the byte count');
      referer = ref[0] === '-' ? '' : ref[0];
      i = ref[1];
      if (line.charCodeAt(i) !== 32) return reject('malformed_line', 'http_user_agent', 'expected a quoted user agent after the referer');
      const ua = quoted(line, i + 1, true);
      if (!ua) return reject('malformed_line', 'http_user_agent', 'expected a quoted user agent after the referer');
      userAgent = ua[0] === '-' ? '' : ua[0];
      i = ua[1];
      if (i < line.length && line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) === 34) {
        const x = quoted(line, i + 1, true);
        if (x && x[0] !== '-') xff = x[0];
      }
    }
  }
  const rl = splitRequestLine(req[0]);
  return accept({
    tsMs: t.ms,
    remoteAddr: client.remoteAddr,
    xForwardedFor: client.forwardedList !== '' ? (xff !== '' ? `${xff}, ${client.forwardedList}` : client.forwardedList) : xff,
    forwarded: '',
    xRealIp: '',
    vhost: client.vhost,
    method: rl.method,
    path: rl.path,
    protocol: rl.protocol,
    status,
    bytes,
    referer,
    userAgent,
    durationMs: 0,
    user: client.user,
  });
}
