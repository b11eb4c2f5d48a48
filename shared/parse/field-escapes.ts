/**
 * Escapes inside quoted log fields, and finding the end of a quoted field.
 *
 * Apache writes `\"`, `\\`, `\n`, `\t` ... and `\xHH` for other non-printable bytes; nginx writes `\xHH`
 * (escape=default, including `\x22` for a quote) or JSON escapes (escape=json: `\"`, `\\`, `\u00HH`).
 *
 * Decision on `\xHH`: a run of `\xHH` escapes is decoded to bytes, then read as UTF-8. When the bytes are valid
 * UTF-8 the text is kept decoded (`/caf\xc3\xa9` → `/café`). When they are not (the real apache_logs file has a
 * cp1251 referer `http://\xe4\xe5\xe3...`), the run is kept exactly as the server wrote it (`\xe4\xe5\xe3`): the
 * line is real, so it is not rejected, and nothing is lost or replaced by U+FFFD — the bytes can still be
 * recovered from the stored text. Escapes of control characters (C0, DEL: `\x00`, `\n`, `\u0007` ...) are also
 * kept as written: they are what a scanner sent, and stored raw they would corrupt terminals and reports.
 * `bad_encoding` is left for raw (unescaped) invalid bytes in a Kafka message, see shared/ingest/line-split.ts.
 */
import { isUtf8 } from 'node:buffer';

const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/' };

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

const isControl = (c: number) => c < 0x20 || c === 0x7f;

/** the byte of `\xHH` at i (s[i] === '\\'), or -1 */
function hexByteAt(s: string, i: number): number {
  if (s.charCodeAt(i + 1) !== 120 /* x */ && s.charCodeAt(i + 1) !== 88 /* X */) return -1;
  const a = hexVal(s.charCodeAt(i + 2));
  const b = hexVal(s.charCodeAt(i + 3));
  return a < 0 || b < 0 ? -1 : a * 16 + b;
}

/** Decodes the escapes of one field's text (without its quotes). Text without a backslash is returned as is. */
export function unescapeField(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const bs = s.indexOf('\\', i);
    if (bs < 0 || bs === n - 1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, bs);
    i = bs;
    if (hexByteAt(s, i) >= 0) {
      // a run of \xHH: printable bytes decoded as UTF-8 when valid; control bytes end the run and stay escaped
      let b = hexByteAt(s, i);
      while (b >= 0) {
        if (isControl(b)) {
          out += s.slice(i, i + 4);
          i += 4;
          b = hexByteAt(s, i);
          continue;
        }
        const bytes: number[] = [];
        const start = i;
        for (; b >= 0 && !isControl(b); b = hexByteAt(s, i)) {
          bytes.push(b);
          i += 4;
        }
        const buf = Buffer.from(bytes);
        out += isUtf8(buf) ? buf.toString('utf8') : s.slice(start, i);
      }
      continue;
    }
    const next = s[i + 1]!;
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
      const code = Number.parseInt(s.slice(i + 2, i + 6), 16);
      if (!isControl(code)) {
        out += String.fromCharCode(code);
        i += 6;
        continue;
      }
    }
    const m = SIMPLE[next];
    if (m !== undefined) {
      out += m;
      i += 2;
    } else {
      out += '\\'; // a lone backslash before an ordinary character is kept as written
      i += 1;
    }
  }
  return out;
}

/**
 * Index of the quote that closes a field whose text starts at `from` (just after its opening quote), skipping
 * backslash-escaped quotes (`\"`, but not `\\"`); -1 when the field is not closed on this line.
 */
export function closingQuote(line: string, from: number): number {
  let i = line.indexOf('"', from);
  while (i >= 0) {
    if (line.charCodeAt(i - 1) !== 92) return i;
    let bs = 1;
    for (let j = i - 2; j >= from && line.charCodeAt(j) === 92; j--) bs++;
    if ((bs & 1) === 0) return i;
    i = line.indexOf('"', i + 1);
  }
  return -1;
}

/** The value of a `-`-means-empty field (referer, user agent, user ...). */
export function dashToEmpty(v: string): string {
  return v.length === 1 && v.charCodeAt(0) === 45 ? '' : v;
}
