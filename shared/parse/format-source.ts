/**
 * The format text as users paste it, reduced to the bare format:
 *  - nginx: `$remote_addr - ...` as is, or the nginx.conf form `log_format main escape=json '...' '...';`
 *    (the quoted pieces are concatenated, `escape=none` turns value unescaping off)
 *  - Apache: `%h %l ...` as is, or the httpd.conf form `LogFormat "%h %l %u %t \"%r\" %>s %b" common`
 *    (`\"` and `\t` inside the format are Apache config escapes either way)
 */
import { TorlogsError } from '../core/errors.js';

export interface FormatSource {
  text: string;
  /** decode escapes in values (`\xHH`, `\"`, JSON escapes); off for nginx `escape=none` */
  unescape: boolean;
}

const CONF_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

/** `'a' "b" 'c'` → `abc`, or null when `s` is not only quoted pieces */
function quotedPieces(s: string): string | null {
  let out = '';
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const q = s[i];
    if (q !== "'" && q !== '"') return null;
    i++;
    let closed = false;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1]!;
        out += CONF_ESCAPES[n] ?? n;
        i += 2;
        continue;
      }
      i++;
      if (c === q) {
        closed = true;
        break;
      }
      out += c;
    }
    if (!closed) return null;
  }
  return out;
}

export function parseFormatSource(input: string, dialect: 'nginx' | 'apache'): FormatSource {
  let s = input.trim();
  if (s === '') throw new TorlogsError('usage_invalid', `empty ${dialect} log format`);
  if (dialect === 'nginx') {
    let unescape = true;
    const conf = /^log_format\s+\S+\s+/.exec(s);
    if (conf) s = s.slice(conf[0].length).replace(/;\s*$/, '');
    const esc = /^escape=(default|json|none)\s+/.exec(s);
    if (esc) {
      unescape = esc[1] !== 'none';
      s = s.slice(esc[0].length);
    }
    const pieces = conf || esc || s.startsWith("'") ? quotedPieces(s.replace(/;\s*$/, '')) : null;
    if ((conf || esc) && pieces === null) throw new TorlogsError('usage_invalid', `nginx log_format: expected quoted strings after the name/escape= in ${JSON.stringify(input)}`);
    return { text: pieces ?? s, unescape };
  }
  const conf = /^LogFormat\s+/i.exec(s);
  if (conf) s = s.slice(conf[0].length);
  if (s.startsWith('"')) {
    // "format" [nickname]: the closing quote is the first one not escaped by a backslash
    let i = 1;
    while (i < s.length && !(s[i] === '"' && s[i - 1] !== '\\')) i++;
    const rest = s.slice(i + 1).trim();
    if (i < s.length && (rest === '' || /^[\w.-]+$/.test(rest))) s = s.slice(1, i);
    else if (conf) throw new TorlogsError('usage_invalid', `Apache LogFormat: unclosed quoted format in ${JSON.stringify(input)}`);
  }
  return { text: s.replace(/\\(["tn\\])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c)), unescape: true };
}
