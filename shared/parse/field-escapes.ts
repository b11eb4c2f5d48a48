/**
 * Escapes inside quoted log fields: Apache writes `\"`, `\\` and `\xHH` for non-printable bytes; nginx writes
 * `\xHH` (escape=default) or JSON escapes (escape=json). `\xHH` runs are decoded as bytes, then as UTF-8
 * (invalid sequences become U+FFFD: the line is kept, the bytes were not text).
 */
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '/': '/' };

export function unescapeField(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let bytes: number[] | null = null;
  const flush = () => {
    if (bytes) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = null;
    }
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      flush();
      out += c;
      continue;
    }
    const n = s[i + 1]!;
    if (n === 'x' && i + 3 < s.length + 0 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      (bytes ??= []).push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
      continue;
    }
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
      flush();
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
      i += 5;
      continue;
    }
    flush();
    const m = SIMPLE[n];
    if (m !== undefined) {
      out += m;
      i++;
    } else out += c; // a lone backslash is kept as written
  }
  flush();
  return out;
}

/** Index of the closing quote of a field that opened just before `from`, skipping `\"`; -1 when unclosed. */
export function closingQuote(line: string, from: number): number {
  let i = line.indexOf('"', from);
  while (i > 0) {
    let bs = 0;
    for (let j = i - 1; j >= from && line.charCodeAt(j) === 92; j--) bs++;
    if (bs % 2 === 0) return i;
    i = line.indexOf('"', i + 1);
  }
  return -1;
}
