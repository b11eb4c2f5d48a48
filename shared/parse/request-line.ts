/** `"GET /path?q HTTP/1.1"` → method, target, protocol. A line the server logged with a junk request (`-`, ``, `hello`) keeps the raw text as the path. */
export interface RequestLine {
  method: string;
  path: string;
  protocol: string;
}

const EMPTY: RequestLine = { method: '', path: '', protocol: '' };

export function splitRequestLine(r: string): RequestLine {
  if (r === '' || r === '-') return EMPTY;
  const a = r.indexOf(' ');
  if (a <= 0) return { method: '', path: r, protocol: '' };
  const b = r.lastIndexOf(' ');
  const method = r.slice(0, a);
  if (!isToken(method)) return { method: '', path: r, protocol: '' };
  if (b === a) return { method, path: r.slice(a + 1), protocol: '' };
  const protocol = r.slice(b + 1);
  if (!protocol.startsWith('HTTP/')) return { method, path: r.slice(a + 1), protocol: '' };
  return { method, path: r.slice(a + 1, b), protocol };
}

function isToken(s: string): boolean {
  if (s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95)) return false;
  }
  return true;
}
