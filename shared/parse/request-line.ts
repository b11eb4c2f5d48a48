/**
 * `GET /path?q HTTP/1.1` → method, target, protocol.
 *
 * Decision: a request line the server logged but that is not `METHOD target [HTTP/x]` is still a real request
 * (a scanner, a TLS handshake sent to a plain-text port, `hello`): the line is kept, method and protocol are ''
 * and the raw text goes to `path` so analysts see what was sent. An empty request (`""`, nginx 400) and Apache's
 * `-` (408, nothing received) give method, path and protocol ''.
 */
export interface RequestLine {
  method: string;
  path: string;
  protocol: string;
}

const EMPTY: RequestLine = { method: '', path: '', protocol: '' };

/** Splits a request line (escapes already decoded). */
export function splitRequestLine(r: string): RequestLine {
  const out = { method: '', path: '', protocol: '' };
  splitRequestInto(r, 0, r.length, out);
  return out;
}

/**
 * Splits the request line that spans [start, end) of `text` into `out` (a caller-owned scratch object, so the
 * hot path allocates nothing but the three strings). `text` must not need unescaping in that range.
 */
export function splitRequestInto(text: string, start: number, end: number, out: RequestLine): void {
  if (end === start || (end === start + 1 && text.charCodeAt(start) === 45)) {
    out.method = out.path = out.protocol = EMPTY.path;
    return;
  }
  const a = text.indexOf(' ', start);
  if (a < 0 || a >= end || !isTokenAt(text, start, a)) {
    out.method = out.protocol = '';
    out.path = text.slice(start, end);
    return;
  }
  out.method = methodName(text, start, a);
  const b = text.lastIndexOf(' ', end - 1);
  if (b > a && text.startsWith('HTTP/', b + 1)) {
    out.path = text.slice(a + 1, b);
    out.protocol = b + 9 === end && text.charCodeAt(b + 6) === 49 && text.charCodeAt(b + 7) === 46 ? (text.charCodeAt(b + 8) === 49 ? 'HTTP/1.1' : text.charCodeAt(b + 8) === 48 ? 'HTTP/1.0' : text.slice(b + 1, end)) : text.slice(b + 1, end);
  } else {
    out.path = text.slice(a + 1, end);
    out.protocol = '';
  }
}

/** common methods as shared constants (no per-line string), others sliced */
function methodName(t: string, s: number, e: number): string {
  const c = t.charCodeAt(s);
  if (e - s === 3 && c === 71 && t.charCodeAt(s + 1) === 69 && t.charCodeAt(s + 2) === 84) return 'GET';
  if (e - s === 4 && c === 80 && t.charCodeAt(s + 1) === 79 && t.charCodeAt(s + 2) === 83 && t.charCodeAt(s + 3) === 84) return 'POST';
  if (e - s === 4 && c === 72 && t.charCodeAt(s + 1) === 69 && t.charCodeAt(s + 2) === 65 && t.charCodeAt(s + 3) === 68) return 'HEAD';
  return t.slice(s, e);
}

function isTokenAt(s: string, start: number, end: number): boolean {
  if (end - start > 32) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95)) return false;
  }
  return true;
}
